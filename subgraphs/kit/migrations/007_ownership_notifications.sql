-- The outbox of ownership-change notifications to the subgraphs that keep snapshots of this one's records
-- (schema/supergraph.yaml `snapshots:`): one row per keeper and written record, inserted in the write's own
-- transaction, so a notification exists if and only if the write committed, and deleted only once the keeper
-- acknowledged it. `seq` orders the rows of one record as its writes committed (writes of a record queue on
-- its row lock, so a later version always draws a later seq).
create table ownership_notification (
  seq bigserial primary key,
  keeper text not null,
  entity text not null,
  record_id text not null,
  -- The writer (agency, subject, scopes, jurisdictions, purpose): the keeper re-reads the record with its rights.
  caller jsonb not null,
  created_at timestamptz not null default now(),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- Set while one relay delivers the record's rows: no other replica delivers that record until it passes.
  leased_until timestamptz null,
  last_error text null
);

create index ownership_notification_due on ownership_notification (next_attempt_at);
create index ownership_notification_record on ownership_notification (keeper, entity, record_id, seq);
