-- Revocation status: the latest CRL of each issuing CA, the delegated OCSP responder certificates,
-- and keys an operator has blocked.

-- One row per issuing CA. crl_number is the number of the CRL in der; a regeneration locks the row,
-- takes crl_number + 1 and stores the new CRL in the same transaction, so numbers only ever grow,
-- whichever process signs.
create table crl (
  issuer      text primary key,
  crl_number  bigint not null default 0,
  this_update timestamptz,
  next_update timestamptz,
  der         bytea
);

-- Every delegated OCSP signing certificate an issuing CA has signed (never deleted: the record of
-- what the CA key signed). The newest valid one answers. The key is PKCS#8 DER.
create table ocsp_responder (
  id          bigserial primary key,
  issuer      text not null,
  certificate bytea not null,
  private_key bytea not null,
  not_before  timestamptz not null,
  not_after   timestamptz not null,
  created_at  timestamptz not null default now()
);
create index ocsp_responder_issuer on ocsp_responder (issuer, not_after);

-- Keys an operator has blocked by the SHA-256 of their SubjectPublicKeyInfo (lower-case hex, as
-- certificate.spki_sha256). Keys of certificates revoked for keyCompromise are blocked without a row.
create table blocked_key (
  spki_sha256 text primary key,
  comment     text,
  created_at  timestamptz not null default now()
);

-- The CRL lists the revoked certificates of one issuer.
create index certificate_revoked on certificate (issuer, revoked_at) where revoked_at is not null;
