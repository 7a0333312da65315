-- A conversation is continued only by the client that holds its secret, which the service
-- returns once, when it creates the conversation. Only its SHA-256 is kept. Conversations
-- from before this migration have none and cannot be continued (a new one starts).
alter table conversations add column secret_hash bytea;
