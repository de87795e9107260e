-- A hit confirmation request: an agency that hit another agency's record asks the record's owner to
-- confirm before acting. owning_agency and jurisdiction are the record's as its owner stated them when
-- the request was made; the release decision is fixed (ONLY the requesting agency), so the kit's row rules
-- show a request to its two sides and nobody else.
create table hit_confirmation_request (
  id text primary key check (id ~ '^H[0-9]{9}$'),
  version integer not null default 1 check (version >= 1),
  record_type text not null check (record_type in ('WantedPerson', 'PropertyItem')),
  record_id text not null check (record_id ~ '^[A-Z][0-9]{9}$'),
  priority text not null check (priority in ('URGENT', 'ROUTINE')),
  status text not null default 'PENDING'
    check (status in ('PENDING', 'EXTENDED', 'OVERDUE', 'ESCALATED', 'CONFIRMED', 'NOT_CONFIRMED', 'WITHDRAWN')),
  requesting_agency text not null check (requesting_agency ~ '^[A-Z0-9]{9}$'),
  request_note text,
  purpose_code text not null,
  purpose_reference text,
  requested_at timestamptz not null default now(),
  due_at timestamptz not null,
  second_request_at timestamptz,
  escalate_at timestamptz,
  escalated_at timestamptz,
  answer text check (answer in ('CONFIRMED', 'NOT_CONFIRMED', 'NEEDS_MORE_TIME')),
  answer_note text,
  answered_at timestamptz,
  -- Until when the confirming owner released a REFERENCE_ONLY record in full to the requesting agency.
  released_until timestamptz,
  owning_agency text not null check (owning_agency ~ '^[A-Z0-9]{9}$'),
  jurisdiction text not null check (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
  release_mode text not null default 'ONLY' check (release_mode = 'ONLY'),
  release_jurisdictions text[] not null default '{}' check (release_jurisdictions = '{}'),
  release_agencies text[] not null,
  source_system text not null,
  updated_at timestamptz not null default now(),
  check (release_agencies = array[requesting_agency]),
  check (requesting_agency <> owning_agency)
);

-- Row rules (kit RowScope) test ownership and the named agency; lists are newest first.
create index hit_confirmation_request_owning_agency on hit_confirmation_request (owning_agency, id desc);
create index hit_confirmation_request_requesting_agency on hit_confirmation_request (requesting_agency, id desc);
create index hit_confirmation_request_record on hit_confirmation_request (record_id);
-- The deadline's two questions: what fell due unanswered, what is due for escalation.
create index hit_confirmation_request_due on hit_confirmation_request (due_at) where status in ('PENDING', 'EXTENDED');
create index hit_confirmation_request_escalation on hit_confirmation_request (escalate_at) where status = 'OVERDUE';

create sequence hit_confirmation_request_number start with 1 maxvalue 999999999;

-- Every step of a request, each written in the transaction that took it: a deadline's step is written
-- by the one replica whose update moved the status, so each is there exactly once.
create table hit_confirmation_step (
  seq bigserial primary key,
  request_id text not null references hit_confirmation_request (id),
  step text not null
    check (step in ('REQUESTED', 'CONFIRMED', 'NOT_CONFIRMED', 'NEEDS_MORE_TIME', 'OVERDUE', 'ESCALATED', 'WITHDRAWN')),
  at timestamptz not null default now(),
  agency text
);
create index hit_confirmation_step_request on hit_confirmation_step (request_id, seq);
