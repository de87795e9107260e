-- Release decision REFERENCE_ONLY, for cases and for the snapshots links keep of a linked person's or
-- item's decision: partners granted the jurisdiction see the record as a reference (id, owner,
-- jurisdiction) until its owner confirms a hit.
alter table case_record
  drop constraint case_record_release_mode_check,
  add constraint case_record_release_mode_check check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY', 'REFERENCE_ONLY'));
alter table case_subject
  drop constraint case_subject_release_mode_check,
  add constraint case_subject_release_mode_check check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY', 'REFERENCE_ONLY'));
alter table case_property
  drop constraint case_property_release_mode_check,
  add constraint case_property_release_mode_check check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY', 'REFERENCE_ONLY'));
