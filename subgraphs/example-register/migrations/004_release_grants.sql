-- Releases of a REFERENCE_ONLY record in full to one agency until a time, after a confirmed hit:
-- [{"agency": "ESPN00001", "until": "2026-12-03T14:00:00.000Z"}]. Read by the row rules at each use,
-- so a grant ends by itself; writes drop the grants that ended.
alter table example_record add column release_grants jsonb not null default '[]'::jsonb;
