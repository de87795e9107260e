-- The transactional outbox of record events: one row per record a write created or changed, inserted
-- in the write's own transaction, so an event exists if and only if the write committed. Ids and
-- ownership metadata only, never the record's content: the gateway reads the record itself, as each
-- subscriber, when it delivers the event. `seq` is the feed's position (GET /events?after=<seq>);
-- writers take a lock before inserting, so seq order is commit order and a reader never skips a row
-- that commits late.
create table record_event (
  seq bigserial primary key,
  entity text not null,
  record_id text not null,
  change text not null check (change in ('CREATED', 'AMENDED', 'STATUS_CHANGED', 'RELEASE_CHANGED', 'CANCELLED', 'RECOVERED')),
  occurred_at timestamptz not null default now(),
  owning_agency text not null,
  jurisdiction text not null,
  -- The attribute subscribers filter on, after the write: a notice type, an item's kind, a case's status.
  category text null
);

-- Retention deletes the oldest events by time (RECORD_EVENT_RETENTION_HOURS), a bounded batch at a time.
create index record_event_occurred_at on record_event (occurred_at);

-- How far retention has deleted: a reader resuming after a seq below it missed events, and is told so
-- (a gap in seq alone proves nothing: a rolled-back write leaves one too). One row, or none yet.
create table record_event_pruned (
  singleton boolean primary key default true check (singleton),
  through_seq bigint not null
);
