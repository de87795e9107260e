-- Release decision REFERENCE_ONLY: partners granted the jurisdiction see that the item exists (id,
-- kind, owner, jurisdiction) and that its owner must confirm a hit before releasing the rest.
alter table property_item
  drop constraint property_item_release_mode_check,
  add constraint property_item_release_mode_check check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY', 'REFERENCE_ONLY'));
