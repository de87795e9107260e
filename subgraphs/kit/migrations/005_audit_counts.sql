-- A disclosure need not name records: a total too large to list is recorded as an entry naming the
-- count (action COUNT, detail {"of": connection type, "count": n}) and no record ids. Every other entry
-- still names at least one record.
alter table audit_entry drop constraint audit_entry_record_ids_check;
alter table audit_entry add constraint audit_entry_record_ids_check
  check (cardinality(record_ids) >= 1 or (kind = 'DISCLOSURE' and action = 'COUNT'));
