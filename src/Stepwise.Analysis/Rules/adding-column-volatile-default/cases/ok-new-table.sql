CREATE TABLE api_tokens (id bigserial PRIMARY KEY, owner_id bigint NOT NULL);
ALTER TABLE api_tokens ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE api_tokens ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
