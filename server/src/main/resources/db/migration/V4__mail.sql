-- Delivery of issued certificates by e-mail (kanta-extension.md "Delivery and status"): an outbox
-- written in the transaction that completes the certificate, so that a delivery is never lost, and
-- drained by a worker in every server process (claims use FOR UPDATE SKIP LOCKED).

create table mail_delivery (
  id              bigserial primary key,
  certificate_id  bigint not null unique references certificate (id),
  recipients      text[] not null check (cardinality(recipients) > 0),
  created_at      timestamptz not null default now(),
  -- failed attempts so far; the next backoff doubles with each
  attempts        int not null default 0,
  -- when the row is next due; a claim moves it ahead by the claim's lease
  next_attempt_at timestamptz not null default now(),
  sent_at         timestamptz,
  last_error      text
);
create index mail_delivery_due on mail_delivery (next_attempt_at) where sent_at is null;
