create table case_record (
  case_number text primary key check (case_number ~ '^C[0-9]{9}$'),
  title text not null check (length(title) between 1 and 200),
  -- the latest entry of case_status_change, kept here so lists filter on it without a join
  status text not null default 'OPEN' check (status in ('OPEN', 'UNDER_INVESTIGATION', 'CHARGED', 'AT_TRIAL', 'CLOSED')),
  lead_agency text not null check (lead_agency ~ '^[A-Z0-9]{9}$'),
  owning_agency text not null check (owning_agency ~ '^[A-Z0-9]{9}$'),
  jurisdiction text not null check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  release_mode text not null default 'ALL_GRANTED' check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY')),
  release_jurisdictions text[] not null default '{}',
  release_agencies text[] not null default '{}',
  source_system text not null,
  opened_at timestamptz not null,
  updated_at timestamptz not null default now(),
  -- data-owner principle: the agency leading a case is the one that owns (and releases) its record
  check (owning_agency = lead_agency),
  check (updated_at >= opened_at)
);

-- one index per list filter, each ending in case_number so filtered pages are read in key order
create index case_record_status on case_record (status, case_number);
create index case_record_lead_agency on case_record (lead_agency, case_number);
create index case_record_jurisdiction on case_record (jurisdiction, case_number);
-- a country filter also matches the country's regions (FR matches FR-IDF)
create index case_record_country on case_record (left(jurisdiction, 2), case_number);

create table case_status_change (
  case_number text not null references case_record (case_number) on delete cascade,
  seq integer not null check (seq >= 1),
  status text not null check (status in ('OPEN', 'UNDER_INVESTIGATION', 'CHARGED', 'AT_TRIAL', 'CLOSED')),
  changed_at timestamptz not null,
  changed_by text not null check (changed_by ~ '^[A-Z0-9]{9}$'),
  reason text,
  primary key (case_number, seq)
);

-- subjects and property live in other subgraphs: only their ids are stored, without foreign keys
create table case_subject (
  case_number text not null references case_record (case_number) on delete cascade,
  person_id text not null check (person_id ~ '^[A-Z][0-9]{9}$'),
  linked_at timestamptz not null default now(),
  primary key (case_number, person_id)
);

create index case_subject_person on case_subject (person_id, case_number);

create table case_property (
  case_number text not null references case_record (case_number) on delete cascade,
  property_id text not null check (property_id ~ '^[A-Z][0-9]{9}$'),
  linked_at timestamptz not null default now(),
  primary key (case_number, property_id)
);

-- PropertyItem.case reads the latest link of an item
create index case_property_property on case_property (property_id, linked_at desc, case_number desc);
