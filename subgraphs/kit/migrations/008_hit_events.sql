-- Hits on an owner's records travel in the same outbox as record events, so they are as durable and
-- as ordered, and are written in the transaction of the audit entry they come from: a hit is published
-- if and only if its audit entry committed. A hit event (change HIT, entity HitOnOwnRecord) names the
-- record hit in record_id, its kind in category, and in detail who hit it and why (the partner agency,
-- purpose, reference, and the audit entry's seq): not the record's content. The feed is read by the
-- gateway only, which delivers a hit to subscribers of the owning agency alone.
alter table record_event
  drop constraint record_event_change_check,
  add constraint record_event_change_check
    check (change in ('CREATED', 'AMENDED', 'STATUS_CHANGED', 'RELEASE_CHANGED', 'CANCELLED', 'RECOVERED', 'HIT')),
  add column detail jsonb null;
