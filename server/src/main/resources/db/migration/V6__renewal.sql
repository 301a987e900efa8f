-- RFC 9773 renewal information, replacement orders and certificates imported from the old manual
-- process (protocol-docs/renewal.md).

-- An operator's incident mark: the certificate's suggested window moves into the past, measured
-- from renewal_marked_at so that every answer for it stays the same (clients renew at once).
alter table certificate add column renewal_marked_at timestamptz;
alter table certificate add column renewal_explanation_url text;

-- The AKI keyIdentifier of an imported certificate (its certID needs it; for issued certificates
-- it is the issuing CA's subject key identifier, known from the issuer column). imported_at is
-- null for every certificate this CA issued.
alter table certificate add column authority_key_id bytea;
alter table certificate add column imported_at timestamptz;

-- The certificate an order replaces (RFC 9773 §5), with the certID as the client sent it.
alter table orders add column replaces_certificate_id bigint references certificate (id);
alter table orders add column replaces text;

-- A certificate is replaced once: at most one order that is not invalid may claim it. An order
-- that becomes invalid frees its claim (as Boulder does), so the holder can try again; expired
-- pending/ready orders are set invalid before a new claim is made (RenewalRepository).
create unique index orders_replaces_once on orders (replaces_certificate_id)
  where replaces_certificate_id is not null and status <> 'invalid';
