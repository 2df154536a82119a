CREATE TABLE users (
    id         bigserial PRIMARY KEY,
    email      text NOT NULL,
    username   varchar(50) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id             bigserial PRIMARY KEY,
    user_id        bigint NOT NULL,
    status         text NOT NULL DEFAULT 'new',
    legacy_status  text,
    shipped_at     timestamptz,
    quantity       integer NOT NULL DEFAULT 1
);
