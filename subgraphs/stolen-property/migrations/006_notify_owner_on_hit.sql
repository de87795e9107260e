-- The owner's wish to be told of every disclosure of an item to another agency, as a hit event;
-- read by the disclosure audit from the served row, so it costs no query of its own.
alter table property_item add column notify_owner_on_hit boolean not null default false;
