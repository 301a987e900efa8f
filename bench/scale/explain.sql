-- EXPLAIN (ANALYZE) of the server's hot queries on the filled database, each as a prepared
-- statement with the generic plan (the Vert.x client caches prepared statements, and PostgreSQL
-- switches them to the generic plan after five executions). Run by run.sh after the fill:
--   psql -f bench/scale/explain.sql
\set ON_ERROR_STOP off
set plan_cache_mode = force_generic_plan;
select id as cert_id, serial as cert_serial, order_id as cert_order, account_id as cert_account,
       spki_sha256 as cert_spki, organisation_oid as cert_org
  from certificate where issuer = 'production' and order_id is not null
  order by id desc offset 1000 limit 1 \gset
select authz_id as authz from order_authz where order_id = :cert_order \gset
select id as challenge from challenge where authz_id = :authz \gset
begin;

\echo -- OCSP: OcspService.answer
prepare q(text, bytea[]) as select serial, revoked_at, revocation_reason from certificate
  where issuer = $1 and serial = any($2) and der is not null;
explain (analyze, costs off) execute q('production', array[:'cert_serial'::bytea]);
deallocate q;

\echo -- renewalInfo: RenewalRepository.findBySerial
prepare q(bytea) as select id, serial, issuer, not_before, not_after, revoked_at, renewal_marked_at,
  renewal_explanation_url, authority_key_id, der, organisation_oid from certificate where serial = $1;
explain (analyze, costs off) execute q(:'cert_serial');
deallocate q;

\echo -- order: OrderRepository.find
prepare q(bigint) as select o.id, o.account_id, o.status, o.expires_at, o.identifiers, o.profile,
  o.not_before, o.not_after, o.error,
  (select array_agg(authz_id order by authz_id) from order_authz where order_id = o.id),
  (select serial from certificate c where c.order_id = o.id and c.der is not null),
  o.organisation_oid, o.processing_deadline, o.created_at, o.replaces from orders o where o.id = $1;
explain (analyze, costs off) execute q(:cert_order);
deallocate q;

\echo -- orders list: OrderRepository.listIds (an account with 1,000 orders)
prepare q(bigint, bigint, int) as select id from orders where account_id = $1 and id > $2
  and status <> 'invalid' and not (status in ('pending', 'ready') and expires_at < now())
  order by id limit $3;
explain (analyze, costs off) execute q(:cert_account, 0, 100);
deallocate q;

\echo -- authorization reuse: AuthorizationRepository (reuse lookup)
prepare q(bigint, text, text, boolean, boolean, timestamptz) as select id from authz
  where account_id = $1 and identifier_type = $2 and identifier_value = $3 and wildcard = $4
  and status = 'valid' and expires_at > $6 and ($5 or not validation_skipped)
  order by expires_at desc limit 1;
explain (analyze, costs off) execute q(:cert_account, 'dns', 'host-1.scale.test', false, true, now());
deallocate q;

\echo -- every signed request: AccountRepository.findByIdUsingNonce (nonce recorded, account read)
prepare q(bigint, text, timestamptz) as with used as (insert into used_nonce (nonce, expires_at)
  values ($2, $3) on conflict do nothing returning 1)
  select exists (select 1 from used) as nonce_fresh, a.* from (values (1)) v
  left join lateral (select id, jwk, key_thumbprint, status, contact, terms_agreed,
  (select coalesce(json_agg(json_build_array(l.customer_account_id, c.organisation_oid, l.role)
  order by l.id), '[]') from account_link l join customer_account c on c.id = l.customer_account_id
  where l.account_id = account.id and l.removed_at is null) as links
  from account where id = $1) a on true;
explain (analyze, costs off) execute q(:cert_account, 'explain-' || :cert_id, now() + interval '1 hour');
deallocate q;

\echo -- authorization with its challenges and organisation: AuthorizationRepository.find
prepare q(bigint) as select a.id, a.account_id, a.identifier_type, a.identifier_value, a.wildcard,
  a.status, a.expires_at, c.id, c.type, c.token, c.status, c.validated_at, c.error, org.oid
  from authz a left join lateral (select o.organisation_oid oid from order_authz oa
  join orders o on o.id = oa.order_id where oa.authz_id = a.id
  and o.organisation_oid is not null limit 1) org on true
  left join challenge c on c.authz_id = a.id where a.id = $1 order by c.id;
explain (analyze, costs off) execute q(:authz);
deallocate q;

\echo -- challenge: AuthorizationRepository.findByChallenge (the same, by a challenge id)
prepare q(bigint) as select a.id, a.account_id, a.identifier_type, a.identifier_value, a.wildcard,
  a.status, a.expires_at, c.id, c.type, c.token, c.status, c.validated_at, c.error, org.oid
  from authz a left join lateral (select o.organisation_oid oid from order_authz oa
  join orders o on o.id = oa.order_id where oa.authz_id = a.id
  and o.organisation_oid is not null limit 1) org on true
  left join challenge c on c.authz_id = a.id
  where a.id = (select authz_id from challenge where id = $1) order by c.id;
explain (analyze, costs off) execute q(:challenge);
deallocate q;

\echo -- order ready: OrderRepository.readyWhenAuthorized (select, then update)
prepare q(bigint) as select o.id from orders o where o.status = 'pending'
  and o.id in (select order_id from order_authz where authz_id = $1) order by o.id for update;
explain (analyze, costs off) execute q(:authz);
deallocate q;
prepare q(bigint) as update orders o set status = 'ready' where o.status = 'pending'
  and o.id in (select order_id from order_authz where authz_id = $1)
  and not exists (select 1 from order_authz oa join authz a on a.id = oa.authz_id
  where oa.order_id = o.id and a.status <> 'valid');
explain (analyze, costs off) execute q(:authz);
deallocate q;

\echo -- test-profile switch: AuthorizationRepository.onlyTestOrders
prepare q(bigint) as select coalesce(bool_and(o.profile like '%-test'), false) from orders o
  join order_authz oa on oa.order_id = o.id where oa.authz_id = $1;
explain (analyze, costs off) execute q(:authz);
deallocate q;

\echo -- finalize: BlockedKeys.why (revoked for keyCompromise, or blocked by an operator)
prepare q(text) as select exists (select 1 from certificate where spki_sha256 = $1
  and revocation_reason = 1), (select created_at from blocked_key where spki_sha256 = $1);
explain (analyze, costs off) execute q(:'cert_spki');
deallocate q;

\echo -- finalize: certificate by serial (CertificateRepository.findBySerial)
prepare q(bytea) as select c.id, c.serial, c.order_id, c.account_id, c.issuer, c.profile, c.tbs,
  c.der, i.der, c.spki_sha256, c.dns_names, c.revoked_at, c.revocation_reason, c.organisation_oid
  from certificate c left join issuer_certificate i on i.id = c.issuer_certificate_id
  where c.serial = $1 for update of c;
explain (analyze, costs off) execute q(:'cert_serial');
deallocate q;

\echo -- replacement claim: RenewalRepository.isClaimed and releaseExpiredClaims
prepare q(bigint) as select 1 from orders where replaces_certificate_id = $1 and status <> 'invalid';
explain (analyze, costs off) execute q(:cert_id);
deallocate q;
prepare q(bigint) as update orders set status = 'invalid' where replaces_certificate_id = $1
  and status in ('pending', 'ready') and expires_at < now();
explain (analyze, costs off) execute q(:cert_id);
deallocate q;

\echo -- mail: DeliveryRepository.recipientSources
prepare q(bigint) as select a.contact, ca.technical_contact from certificate c
  left join account a on a.id = c.account_id
  left join customer_account ca on ca.organisation_oid = c.organisation_oid where c.id = $1;
explain (analyze, costs off) execute q(:cert_id);
deallocate q;

\echo -- periodic: CertificateRepository.unsigned (every 60 s)
prepare q(int) as select id from certificate where der is null
  and created_at <= now() - make_interval(secs => $1) limit 1000;
explain (analyze, costs off) execute q(120);
deallocate q;

\echo -- periodic: AuthorizationRepository.stuckProcessing (every 30 s)
prepare q(int) as select id from challenge where status = 'processing'
  and processing_since < now() - make_interval(secs => $1) limit 1000;
explain (analyze, costs off) execute q(60);
deallocate q;

\echo -- periodic: mail_delivery due
explain (analyze, costs off) select id from mail_delivery where sent_at is null
  and next_attempt_at <= now() order by next_attempt_at limit 10;

\echo -- CRL: revoked certificates of one issuer
explain (analyze, costs off) select serial, revoked_at, revocation_reason from certificate
  where issuer = 'production' and revoked_at is not null;

\echo -- incident by organisation: RenewalRepository.mark
prepare q(text) as update certificate set renewal_marked_at = coalesce(renewal_marked_at, now())
  where organisation_oid = $1 and not_after > now();
explain (analyze, costs off) execute q('1.2.246.10.99000001.10.0');
deallocate q;

\echo -- nonce prune: NonceService.prune (every 600 s)
explain (analyze, costs off) delete from used_nonce where expires_at < now();
rollback;
