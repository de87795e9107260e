-- request_id is now always the gateway's own id of the partner request (a UUID it generates), and the
-- partner's x-request-id is kept beside it: partners choose theirs, so two of them may send the same
-- one. Until now request_id held the partner's id when it sent one. Null for entries written before
-- this migration, and when the partner sent no acceptable id; the hash covers it only when present
-- (audit-entry.ts), so those earlier entries verify as they did.
alter table audit_entry add column partner_request_id text check (partner_request_id ~ '^[A-Za-z0-9._:-]{1,100}$');
