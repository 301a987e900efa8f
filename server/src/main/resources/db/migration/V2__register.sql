-- The server's copy of the THL-SOTE organisation register and the Kanta intermediary register
-- (protocol-docs/registers.md). A load replaces or upserts one source's rows in one transaction.

create table register_entry (
  oid             text primary key,
  source          text not null check (source in ('sote', 'intermediary')),
  long_name       text not null,
  abbreviation    text,
  -- null for a top entry; an entry naming itself is also a top entry
  parent_oid      text,
  business_id     text,
  -- '1' public, '2' private, '3' private self-registered; null for intermediaries and when absent
  sector          text check (sector in ('1', '2', '3')),
  status          text not null,
  begin_date      timestamptz not null,
  expiration_date timestamptz,
  -- every attribute as loaded (first value of each), for operators
  attributes      jsonb not null default '{}',
  modified_at     timestamptz not null default now()
);
create index register_entry_source on register_entry (source);
create index register_entry_parent on register_entry (parent_oid);

create table register_sync (
  id          bigserial primary key,
  started_at  timestamptz not null,
  finished_at timestamptz not null default now(),
  source      text not null check (source in ('sote', 'intermediary')),
  location    text not null,
  mode        text not null check (mode in ('full', 'incremental')),
  entries     integer not null default 0,
  outcome     text not null check (outcome in ('ok', 'refused', 'failed')),
  detail      text,
  -- the intermediary file's "generated" time
  generated   timestamptz
);
create index register_sync_latest on register_sync (source, started_at desc);
