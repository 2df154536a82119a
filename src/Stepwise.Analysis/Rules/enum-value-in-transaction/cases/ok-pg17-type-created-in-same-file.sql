-- pg-version: 17
CREATE TYPE ticket_state AS ENUM ('open');
ALTER TYPE ticket_state ADD VALUE 'closed';
INSERT INTO ticket_defaults (state) VALUES ('closed');
