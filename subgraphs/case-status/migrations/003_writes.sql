-- Agency writes: optimistic versioning of a case (status changes, amendments and link changes all
-- bump it), and case numbers for new cases drawn above the seeded range (seeds use C000000001 upwards).
alter table case_record add column version integer not null default 1 check (version >= 1);

create sequence case_number_seq start with 900000001 maxvalue 999999999;

-- A status change's reason is required from now on (seeded history always has one); an opening may omit it.
alter table case_status_change add constraint case_status_change_reason_length check (length(reason) between 1 and 500);
