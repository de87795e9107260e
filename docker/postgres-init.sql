-- One database per agency subgraph: each keeps its own data, as in production.
create database wanted_persons;
create database stolen_property;
create database case_status;

-- Two roles, so that the role a subgraph serves with cannot rewrite its audit trail. liaison_owner
-- owns the databases: migrations and the seed run as it (MIGRATION_DATABASE_URL), and after them it
-- grants liaison_app (DATABASE_URL) the agency tables, but the audit trail only to read and append
-- (subgraphs/kit/db/grant-app-role.ts). The passwords are the demo's; a deployment sets its own.
create role liaison_owner login password 'liaison-owner-dev';
create role liaison_app login password 'liaison-app-dev';
alter database wanted_persons owner to liaison_owner;
alter database stolen_property owner to liaison_owner;
alter database case_status owner to liaison_owner;
create database hit_confirmations;
alter database hit_confirmations owner to liaison_owner;
