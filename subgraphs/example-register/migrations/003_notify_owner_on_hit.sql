-- The owner's wish to be told of every disclosure of a record to another agency, as a hit event;
-- read by the disclosure audit from the served row, so it costs no query of its own.
alter table example_record add column notify_owner_on_hit boolean not null default false;
