-- The owner's wish to be told of every disclosure of a case to another agency, as a hit event;
-- read by the disclosure audit from the served row, so it costs no query of its own. Not on the link
-- snapshots: a linked record's disclosure is its own subgraph's to report.
alter table case_record add column notify_owner_on_hit boolean not null default false;
