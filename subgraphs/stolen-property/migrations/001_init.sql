create extension if not exists pg_trgm;

-- One table for every kind: a lookup by id, VIN, plate, document or serial is one indexed query, and
-- the per-kind checks below keep each row's columns consistent with its kind.
create table property_item (
  id text primary key check (id ~ '^[VDFA][0-9]{9}$'),
  kind text not null check (kind in ('VEHICLE', 'TRAVEL_DOCUMENT', 'FIREARM', 'ARTWORK')),
  status text not null default 'STOLEN' check (status in ('STOLEN', 'RECOVERED')),
  reported_at timestamptz not null,
  -- vehicles and firearms
  make text,
  model text,
  -- vehicles
  vin text check (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
  plate text,
  registration_country text check (registration_country ~ '^[A-Z]{2}$'),
  colour text,
  year integer check (year between 1886 and 2100),
  -- travel documents
  document_number text,
  issuing_country text check (issuing_country ~ '^[A-Z]{2}$'),
  document_type text check (document_type in ('PASSPORT', 'IDENTITY_CARD', 'RESIDENCE_PERMIT', 'VISA')),
  -- firearms
  serial_number text,
  calibre text,
  -- artworks
  title text,
  artist text,
  period text,
  owning_agency text not null check (owning_agency ~ '^[A-Z0-9]{9}$'),
  jurisdiction text not null check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  release_mode text not null default 'ALL_GRANTED' check (release_mode in ('ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY')),
  release_jurisdictions text[] not null default '{}',
  release_agencies text[] not null default '{}',
  source_system text not null,
  -- lookup keys as the kit's normalisePlate / normaliseIdentifier produce them, so queries match exactly
  plate_norm text,
  vin_norm text,
  document_norm text,
  serial_norm text,
  -- the description folded by the kit's normaliseName, so search is case- and accent-insensitive
  search_text text not null,
  updated_at timestamptz not null default now(),
  constraint property_item_vehicle_fields check (case when kind = 'VEHICLE'
    then num_nonnulls(vin, vin_norm, plate, plate_norm, registration_country, colour) = 6
    else num_nonnulls(vin, vin_norm, plate, plate_norm, registration_country, colour, year) = 0 end),
  constraint property_item_make_model check (case when kind in ('VEHICLE', 'FIREARM')
    then num_nonnulls(make, model) = 2 else num_nonnulls(make, model) = 0 end),
  constraint property_item_document_fields check (case when kind = 'TRAVEL_DOCUMENT'
    then num_nonnulls(document_number, document_norm, issuing_country, document_type) = 4
    else num_nonnulls(document_number, document_norm, issuing_country, document_type) = 0 end),
  constraint property_item_firearm_fields check (case when kind = 'FIREARM'
    then num_nonnulls(serial_number, serial_norm, calibre) = 3 else num_nonnulls(serial_number, serial_norm, calibre) = 0 end),
  constraint property_item_artwork_fields check (case when kind = 'ARTWORK'
    then num_nonnulls(title, artist, period) = 3 else num_nonnulls(title, artist, period) = 0 end)
);

create unique index property_item_vin on property_item (vin_norm);
create unique index property_item_document on property_item (document_norm, issuing_country);
create index property_item_plate on property_item (plate_norm, registration_country) where plate_norm is not null;
-- serials repeat across makes, and the make filter is case-insensitive
create index property_item_serial on property_item (serial_norm, lower(make)) where serial_norm is not null;
create index property_item_kind_status on property_item (kind, status, id);
create index property_item_search_trgm on property_item using gin (search_text gin_trgm_ops);
