-- Writes are idempotent per (agency, key): a retry with the same key and input returns the stored
-- result; the same key with another input is refused. The row is inserted first in the write's
-- transaction, so concurrent retries wait on it and then read the committed result.
create table idempotent_write (
  agency text not null,
  idempotency_key text not null,
  action text not null,
  input_hash text not null,
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (agency, idempotency_key)
);
