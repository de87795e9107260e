-- Release decision REFERENCE_ONLY: partners granted the jurisdiction see that the record exists (id,
-- owner, jurisdiction) and that its owner must confirm a hit before releasing the rest.
alter table example_record
  drop constraint example_record_release_mode_check,
  add constraint example_record_release_mode_check check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY', 'REFERENCE_ONLY'));
