-- Conversations of the chat, their messages and the feedback on answers. A conversation and
-- everything in it is deleted once expires_at has passed (PurgeConversations), which is
-- refreshed on every turn: the retention counts from the last message.
create table conversations (
    id           text primary key,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    locality     text not null default '',
    audience     text not null default 'citizen',
    -- The procedure the conversation is about, for follow-up questions. No foreign key: a
    -- document may be pruned or re-ingested while conversations about it live on.
    procedure_id text not null default '',
    last_intents text[] not null default '{}',
    -- The clarification the assistant is waiting for (the question and its candidates), or null.
    pending      jsonb
);
create index conversations_expires on conversations (expires_at);

create table messages (
    id              text primary key,
    seq             bigserial not null, -- order within a conversation (created_at is per transaction)
    conversation_id text not null references conversations (id) on delete cascade,
    role            text not null check (role in ('user', 'assistant')),
    text            text not null,
    status          text not null default '',
    intents         text[] not null default '{}',
    procedure_id    text not null default '',
    citations       jsonb not null default '[]',
    generator       text not null default '',
    created_at      timestamptz not null default now()
);
create index messages_conversation on messages (conversation_id, seq);
create index messages_status on messages (status) where role = 'assistant';

-- One judgement per answer; a new one replaces the old.
create table feedback (
    message_id text primary key references messages (id) on delete cascade,
    helpful    boolean not null,
    comment    text not null default '',
    created_at timestamptz not null default now()
);
