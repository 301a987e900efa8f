-- Customer accounts of the organisation extension (kanta-extension.md): an organisation's account,
-- its members and technical partners, and the ACME accounts linked to it through EAB.

create table customer_account (
  id                bigserial primary key,
  organisation_oid  text not null unique,
  representative    text not null,
  technical_contact text not null,
  created_at        timestamptz not null default now()
);

-- An EAB credential may be an invitation into a customer account in a role.
alter table eab_credential
  add column customer_account_id bigint references customer_account (id),
  add column role text check (role in ('member', 'partner')),
  add column email text,
  add check ((customer_account_id is null) = (role is null));

-- A link: this ACME account acts for this customer account in this role, until removed.
create table account_link (
  id                  bigserial primary key,
  customer_account_id bigint not null references customer_account (id),
  account_id          bigint not null references account (id),
  role                text not null check (role in ('member', 'partner')),
  eab_kid             text not null references eab_credential (kid),
  email               text,
  created_at          timestamptz not null default now(),
  removed_at          timestamptz
);
create unique index account_link_active on account_link (customer_account_id, account_id) where removed_at is null;
create index account_link_account on account_link (account_id) where removed_at is null;

alter table orders add column organisation_oid text;
create index orders_organisation on orders (organisation_oid, id);
alter table certificate add column organisation_oid text;
create index certificate_organisation on certificate (organisation_oid);

-- sote-conformity-01: documents, the operator's decisions, and approvals remembered per system.
alter table challenge add column processing_deadline timestamptz;
alter table orders add column processing_deadline timestamptz;

create table conformity_submission (
  challenge_id     bigint primary key references challenge (id),
  organisation_oid text not null,
  system_name      text not null,
  document_name    text,
  content_type     text,
  document         bytea,
  submitted_at     timestamptz not null default now(),
  decided_at       timestamptz,
  decision         text check (decision in ('approved', 'rejected')),
  reason           text
);

create table conformity_approval (
  organisation_oid text not null,
  system_name      text not null,
  challenge_id     bigint references challenge (id),
  approved_at      timestamptz not null default now(),
  primary key (organisation_oid, system_name)
);
