-- Fills a sote-acme database with :n issued certificates and everything an issued certificate has
-- behind it: its order, the order's authorization (order_authz), the authorization's valid http-01
-- challenge, spread over 1,000 ACME accounts and 1,000 organisations (the demo organisation
-- 1.2.246.10.98123462.10.0, which `sote-acme bench` orders for, holds 10% of them).
-- Run while the server is idle: ids are taken from the sequences first, so a server that inserts
-- meanwhile gets ids above the filled ones.
--   psql -v n=1000000 -f bench/scale/fill.sql
\set ON_ERROR_STOP on
\timing on
begin;
-- Ids: reserve :n ids in each sequence, fill below the new value.
select setval('orders_id_seq', nextval('orders_id_seq') + :n) - :n as order_base \gset
select setval('authz_id_seq', nextval('authz_id_seq') + :n) - :n as authz_base \gset
select setval('challenge_id_seq', nextval('challenge_id_seq') + :n) - :n as challenge_base \gset
select setval('certificate_id_seq', nextval('certificate_id_seq') + :n) - :n as cert_base \gset
select setval('account_id_seq', nextval('account_id_seq') + 1000) - 1000 as account_base \gset

insert into account (id, key_thumbprint, jwk, status, contact, terms_agreed, created_at)
select :account_base + a, 'scale-' || :account_base + a,
       '{"kty":"EC","crv":"P-256","x":"scale","y":"scale"}', 'valid',
       jsonb_build_array('mailto:ops' || a || '@scale.test'), true, now() - interval '400 days'
from generate_series(0, 999) a;

-- Row i (0-based) was issued i * 30 s after a point 365 days ago: a year of issuance, so some
-- orders and authorizations are expired and a few certificates near their end.
create temporary table scale_row on commit drop as
select i,
       now() - interval '365 days' + i * (interval '365 days' / :n) as t,
       :account_base + (i % 1000) as account_id,
       case when i % 10 = 0 then '1.2.246.10.98123462.10.0'
            else '1.2.246.10.99' || lpad((i % 1000)::text, 6, '0') || '.10.0' end as org,
       'host-' || i || '.scale.test' as name,
       case when i % 20 = 0 then 'sote-server-test' else 'sote-server' end as profile
from generate_series(0, :n - 1) i;

insert into authz (id, account_id, identifier_type, identifier_value, wildcard, validation_skipped,
                   status, expires_at, created_at)
select :authz_base + i, account_id, 'dns', name, false, false, 'valid', t + interval '30 days', t
from scale_row;

insert into challenge (id, authz_id, type, token, status, validated_at)
select :challenge_base + i, :authz_base + i, 'http-01', md5('token' || i) || md5('scale' || i),
       'valid', t + interval '1 second'
from scale_row;

insert into orders (id, account_id, status, expires_at, identifiers, profile, not_before, not_after,
                    organisation_oid, created_at)
select :order_base + i, account_id, 'valid', t + interval '7 days',
       jsonb_build_array(jsonb_build_object('type', 'dns', 'value', name)), profile, null, null,
       org, t
from scale_row;

insert into order_authz (order_id, authz_id)
select :order_base + i, :authz_base + i from scale_row;

-- Serials 0x01 followed by the row number in 17 bytes (18 bytes, as issued ones); production CA,
-- so that OCSP and renewalInfo can be asked about them; every 100th revoked. Placeholder DER:
-- OCSP and renewalInfo never read it.
insert into certificate (id, serial, order_id, account_id, issuer, profile, tbs, der,
                         not_before, not_after, spki_sha256, dns_names, revoked_at,
                         revocation_reason, organisation_oid, created_at)
select :cert_base + i, decode('01' || lpad(to_hex(i + 1), 34, '0'), 'hex'), :order_base + i,
       account_id, 'production', profile, '\x00'::bytea, '\x00'::bytea,
       t, t + interval '365 days', md5(i::text) || md5('spki' || i), array[name],
       case when i % 100 = 0 then least(t + interval '100 days', now() - interval '1 hour') end,
       case when i % 100 = 0 then (array[0, 1, 3, 4, 5])[1 + (i / 100) % 5] end,
       org, t
from scale_row;
commit;
\timing off
-- VACUUM as well as ANALYZE, and a checkpoint: a database that has held these rows for a year has
-- them vacuumed (visibility map set, hint bits written) and flushed. Without it autovacuum of the
-- million-row tables and the checkpoint of the bulk load ran during the measured window, and the
-- filled/empty ratio of issuance swung from 0.72 to 1.38 between runs.
vacuum (analyze);
checkpoint;
