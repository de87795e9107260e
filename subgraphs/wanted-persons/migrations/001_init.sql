create extension if not exists pg_trgm;

create table wanted_person (
  id text primary key check (id ~ '^[A-Z][0-9]{9}$'),
  family_name text not null,
  given_names text not null,
  aliases text[] not null default '{}',
  date_of_birth date,
  nationality text check (nationality ~ '^[A-Z]{2}$'),
  sex text not null check (sex in ('MALE', 'FEMALE', 'UNKNOWN')),
  distinguishing_marks text[] not null default '{}',
  photo_ref text,
  notice_type text not null check (notice_type in ('RED', 'BLUE', 'YELLOW', 'GREEN', 'ORANGE', 'PURPLE', 'BLACK')),
  warrant_court text,
  warrant_issued_on date,
  warrant_charges text[] not null default '{}',
  caveats text[] not null default '{}',
  status text not null default 'ACTIVE' check (status in ('ACTIVE', 'CANCELLED', 'LOCATED')),
  owning_agency text not null check (owning_agency ~ '^[A-Z0-9]{9}$'),
  jurisdiction text not null check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  release_mode text not null default 'ALL_GRANTED' check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY')),
  release_jurisdictions text[] not null default '{}',
  release_agencies text[] not null default '{}',
  source_system text not null,
  last_verified_on date not null,
  -- names and aliases folded by the kit's normaliseName, so search is case- and accent-insensitive
  search_text text not null,
  updated_at timestamptz not null default now()
);

create index wanted_person_search_trgm on wanted_person using gin (search_text gin_trgm_ops);
create index wanted_person_notice on wanted_person (notice_type, status, id);
