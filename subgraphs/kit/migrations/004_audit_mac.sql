-- Entries are now authenticated as well as chained: mac is HMAC-SHA256, with the subgraph's audit key
-- (a file the database never holds), over exactly what hash covers. Whoever can write the database can
-- recompute SHA-256 hashes after an edit, but not a MAC.
--
-- Entries written before this migration are marked, not re-based: their mac stays null. Re-basing
-- would have to run in the application (SQL has no key) and would sign whatever the table holds at
-- upgrade time, laundering any earlier edit. A marked entry is still covered by the SHA-256 links up to
-- the first authenticated entry of its chain, whose MAC covers its predecessor's hash; audit:verify
-- accepts marked entries only at the start of a chain, before every authenticated one, and counts them.
alter table audit_entry add column mac text check (mac ~ '^[0-9a-f]{64}$');
