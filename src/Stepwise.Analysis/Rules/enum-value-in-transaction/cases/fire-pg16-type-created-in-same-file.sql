-- pg-version: 16
-- a type created in the same transaction still cannot use a value added to it before PostgreSQL 17
CREATE TYPE ticket_state AS ENUM ('open');
ALTER TYPE ticket_state ADD VALUE 'closed';
CREATE TABLE tickets (id bigint PRIMARY KEY, state ticket_state NOT NULL DEFAULT 'closed');
