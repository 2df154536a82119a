-- pg-version: 11
-- a type created in the same transaction may take new values and use them
CREATE TYPE ticket_state AS ENUM ('open');
ALTER TYPE ticket_state ADD VALUE 'closed';
CREATE TABLE tickets (id bigint PRIMARY KEY, state ticket_state NOT NULL DEFAULT 'closed');
