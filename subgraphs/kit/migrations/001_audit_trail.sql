-- The audit trail of this subgraph's database: every disclosure of its records and every write to
-- them. Each owning agency has its own hash chain (chain = the agency's code): an entry's hash covers
-- its fields and the previous entry's hash, so editing or removing an entry breaks the chain there.
create table audit_entry (
  seq bigserial primary key,
  chain text not null check (chain ~ '^[A-Z0-9]{9}$'),
  chain_seq bigint not null check (chain_seq >= 1),
  occurred_at timestamptz not null,
  kind text not null check (kind in ('DISCLOSURE', 'WRITE')),
  request_id text,
  partner_subject text not null,
  partner_agency text,
  purpose_code text,
  purpose_reference text,
  operation_name text,
  operation_hash text,
  -- for writes: the mutation and the idempotency key, version and fields it changed, as canonical JSON
  action text,
  detail text,
  record_ids text[] not null check (cardinality(record_ids) >= 1),
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  unique (chain, chain_seq)
);

create index audit_entry_records on audit_entry using gin (record_ids);
create index audit_entry_chain_time on audit_entry (chain, occurred_at, seq);
create index audit_entry_chain_partner on audit_entry (chain, partner_subject, seq);

-- The head of each chain: appends lock it, so concurrent writers (and replicas) extend a chain one at
-- a time, and it records the last entry so a truncated tail is noticed too.
create table audit_chain_head (
  chain text primary key,
  chain_seq bigint not null,
  hash text not null
);
