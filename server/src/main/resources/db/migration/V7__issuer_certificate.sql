-- Issuing CA certificates stored once, not in every certificate row. A certificate's chain (RFC 8555
-- §7.4.2: the leaf, then the issuing CA, not the root) is composed when read, from certificate.der
-- and the issuer_certificate it names; chain_pem, which held it as text (the leaf again in base64
-- and the same CA certificate in every row: ~3.6 KB of a ~6 KB row with an RSA 3072 CA), goes.

-- Every issuing CA certificate a stored certificate chains to. The server registers its CAs'
-- certificates at start (CertificateRepository.registerIssuer); a row is never changed or deleted, so a certificate
-- keeps the chain it was issued with when a CA certificate is replaced.
create table issuer_certificate (
  id     bigserial primary key,
  sha256 bytea not null unique,
  der    bytea not null
);

-- Null until signed, and for an imported certificate whose CA is not held here (served alone).
alter table certificate add column issuer_certificate_id bigint references issuer_certificate (id);

-- The issuing CA of a stored chain: its second PEM block (the first is the leaf; a third, the root,
-- only in chains of imported certificates), decoded. Null when the chain has no second block. A
-- function of this migration only (dropped below, in its transaction), in the schema it migrates:
-- pg_temp would need the TEMP privilege, which a hardened database may not grant.
create function issuing_ca_der(chain_pem text) returns bytea
  language sql immutable as $$
    select decode(nullif(regexp_replace(
             split_part(split_part(chain_pem, '-----BEGIN CERTIFICATE-----', 3),
                        '-----END CERTIFICATE-----', 1),
             '\s', '', 'g'), ''), 'base64')
  $$;

insert into issuer_certificate (sha256, der)
select sha256(der), der
from (select distinct issuing_ca_der(chain_pem) as der
      from certificate where chain_pem is not null) issuing
where der is not null;

-- chain_pem is emptied in the same update: a dropped column's values stay in every row (and in the
-- TOAST table) until the row is written again, so dropping it alone would free nothing. The space
-- becomes reusable after the next (auto)vacuum; VACUUM FULL certificate gives it back to the system.
update certificate c
set issuer_certificate_id =
      (select i.id from issuer_certificate i
       where i.sha256 = sha256(issuing_ca_der(c.chain_pem))),
    chain_pem = null
where chain_pem is not null;

drop function issuing_ca_der(text);
alter table certificate drop column chain_pem;
