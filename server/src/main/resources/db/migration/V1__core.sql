-- Core ACME state (RFC 8555). Every status column holds the lower-case RFC 8555 §7.1.6 name.

create table server_secret (
  name  text primary key,
  value bytea not null
);

-- Nonces are HMAC-signed by the server and kept here only once used, until they expire.
create table used_nonce (
  nonce      text primary key,
  expires_at timestamptz not null
);
create index used_nonce_expires on used_nonce (expires_at);

create table account (
  id             bigserial primary key,
  key_thumbprint text not null unique,
  jwk            text not null,
  status         text not null check (status in ('valid', 'deactivated', 'revoked')),
  contact        jsonb not null default '[]',
  terms_agreed   boolean not null default false,
  created_at     timestamptz not null default now()
);

create table eab_credential (
  kid        text primary key,
  hmac_key   bytea not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at    timestamptz,
  account_id bigint references account (id),
  check ((used_at is null) = (account_id is null))
);

create table authz (
  id               bigserial primary key,
  account_id       bigint not null references account (id),
  identifier_type  text not null,
  identifier_value text not null,
  wildcard         boolean not null default false,
  -- true when validation was skipped under the test-profile switch: never reused for production
  validation_skipped boolean not null default false,
  status           text not null check (status in ('pending', 'valid', 'invalid', 'deactivated', 'expired', 'revoked')),
  expires_at       timestamptz not null,
  created_at       timestamptz not null default now()
);
create index authz_reuse on authz (account_id, identifier_type, identifier_value, wildcard, expires_at) where status = 'valid';

create table challenge (
  id               bigserial primary key,
  authz_id         bigint not null references authz (id),
  type             text not null,
  token            text not null,
  status           text not null check (status in ('pending', 'processing', 'valid', 'invalid')),
  validated_at     timestamptz,
  error            jsonb,
  processing_since timestamptz
);
create index challenge_authz on challenge (authz_id);
create index challenge_processing on challenge (processing_since) where status = 'processing';

create table orders (
  id             bigserial primary key,
  account_id     bigint not null references account (id),
  status         text not null check (status in ('pending', 'ready', 'processing', 'valid', 'invalid')),
  expires_at     timestamptz not null,
  identifiers    jsonb not null,
  profile        text not null,
  not_before     timestamptz,
  not_after      timestamptz,
  error          jsonb,
  created_at     timestamptz not null default now()
);
create index orders_account on orders (account_id, id);

create table order_authz (
  order_id bigint not null references orders (id),
  authz_id bigint not null references authz (id),
  primary key (order_id, authz_id)
);
create index order_authz_authz on order_authz (authz_id);

-- A row exists before the CA signs: the serial and the to-be-signed certificate are recorded first,
-- so that no certificate is ever signed without being recorded. der is null until signed.
create table certificate (
  id                bigserial primary key,
  serial            bytea not null unique,
  order_id          bigint unique references orders (id),
  account_id        bigint references account (id),
  issuer            text not null,
  profile           text not null,
  tbs               bytea not null,
  der               bytea,
  chain_pem         text,
  not_before        timestamptz not null,
  not_after         timestamptz not null,
  spki_sha256       text not null,
  dns_names         text[] not null default '{}',
  revoked_at        timestamptz,
  revocation_reason int,
  created_at        timestamptz not null default now()
);
create index certificate_unsigned on certificate (id) where der is null;
create index certificate_spki on certificate (spki_sha256);
