-- Agency writes: optimistic versioning, the outcome of a recovery, and record ids for new reports drawn
-- above the seeded range, one sequence per kind (seeds use V/D/F/A000000001 upwards).
alter table property_item
  add column version integer not null default 1 check (version >= 1),
  add column recovered_on date,
  add column recovery_note text check (length(recovery_note) <= 500),
  add constraint property_item_recovery check (status = 'RECOVERED' or num_nonnulls(recovered_on, recovery_note) = 0),
  -- the id's letter names the kind, so a write can tell the kind of an item from its id alone
  add constraint property_item_id_kind check (left(id, 1) = case kind when 'VEHICLE' then 'V' when 'TRAVEL_DOCUMENT' then 'D' when 'FIREARM' then 'F' else 'A' end);

create sequence property_vehicle_number start with 900000001 maxvalue 999999999;
create sequence property_document_number start with 900000001 maxvalue 999999999;
create sequence property_firearm_number start with 900000001 maxvalue 999999999;
create sequence property_artwork_number start with 900000001 maxvalue 999999999;
