-- One database per agency subgraph: each keeps its own data, as in production.
create database wanted_persons;
create database stolen_property;
create database case_status;
