-- A hit can be on any kind of record a subgraph lists under `records` in schema/supergraph.yaml (a new
-- agency's too), so the type is no longer fixed here; the id stays a letter and nine digits.
alter table hit_confirmation_request
  drop constraint hit_confirmation_request_record_type_check,
  add constraint hit_confirmation_request_record_type_check check (record_type ~ '^[A-Z][A-Za-z0-9]*$');
