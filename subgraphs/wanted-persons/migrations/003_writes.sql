-- Agency writes: optimistic versioning, the outcome of a cancelled or located notice, and record ids for
-- new notices drawn above the seeded range (seeds use W000000001 upwards).
alter table wanted_person
  add column version integer not null default 1 check (version >= 1),
  add column status_note text check (length(status_note) <= 500),
  add column located_on date;

create sequence wanted_person_number start with 900000001 maxvalue 999999999;
