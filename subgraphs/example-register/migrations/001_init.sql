create table example_record (
  id text primary key check (id ~ '^[A-Z][0-9]{9}$'),
  version integer not null default 1 check (version >= 1),
  label text,
  linked_person_id text check (linked_person_id ~ '^W[0-9]{9}$'),
  owning_agency text not null check (owning_agency ~ '^[A-Z0-9]{9}$'),
  jurisdiction text not null check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  release_mode text not null default 'ALL_GRANTED' check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY')),
  release_jurisdictions text[] not null default '{}',
  release_agencies text[] not null default '{}',
  source_system text not null,
  updated_at timestamptz not null default now()
);

-- Row rules (kit RowScope) test ownership, jurisdiction and its country.
create index example_record_owning_agency on example_record (owning_agency);
create index example_record_jurisdiction on example_record (jurisdiction);
create index example_record_country on example_record (left(jurisdiction, 2));

-- Ids of written records, far above the seeded range.
create sequence example_record_number start with 900000001 maxvalue 999999999;
