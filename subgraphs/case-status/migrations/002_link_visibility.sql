-- Subjects and property are owned by other subgraphs, yet a case's subject list and its count must not
-- reveal a person or item the caller may not see. Each link therefore keeps a snapshot of the linked
-- record's ownership, filtered by the same row rules as the records themselves (kit row-scope.ts).
-- The owning subgraph's change events will keep it fresh (a later issue); until a link's snapshot is
-- known it stays hidden from everyone: a null owner and OWNER_ONLY match no caller.
alter table case_subject
  add column owning_agency text check (owning_agency ~ '^[A-Z0-9]{9}$'),
  add column jurisdiction text check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  add column release_mode text not null default 'OWNER_ONLY' check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY')),
  add column release_jurisdictions text[] not null default '{}',
  add column release_agencies text[] not null default '{}';

alter table case_property
  add column owning_agency text check (owning_agency ~ '^[A-Z0-9]{9}$'),
  add column jurisdiction text check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  add column release_mode text not null default 'OWNER_ONLY' check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY')),
  add column release_jurisdictions text[] not null default '{}',
  add column release_agencies text[] not null default '{}';
