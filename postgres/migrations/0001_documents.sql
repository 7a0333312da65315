-- Documents (procedure sheets and regulations) and their chunks.
create extension if not exists vector;

-- Which embedder filled the store. One row at most: vectors of different embedders never mix.
create table embedder_info (
    singleton  boolean primary key default true check (singleton),
    name       text not null,
    dim        integer not null check (dim > 0),
    created_at timestamptz not null default now()
);

create table documents (
    id           text primary key,
    kind         text not null check (kind in ('procedure', 'regulation')),
    code         text not null default '',
    title        text not null,
    aliases      text[] not null default '{}',
    field        text not null default '',
    level        text not null default '',
    levels       text[] not null default '{}', -- level keys: bo, tinh, xa, khac
    agency       text not null default '',
    locality     text not null default '',
    metadata     jsonb not null default '{}',
    source_url   text not null,
    source_path  text not null default '',
    as_of        date,
    content_hash text not null,
    body         text not null,
    updated_at   timestamptz not null default now()
);
create index documents_code on documents (code);
create index documents_source_path on documents (source_path text_pattern_ops);
create index documents_kind_title on documents (kind, title);

create table chunks (
    id           bigserial primary key,
    document_id  text not null references documents (id) on delete cascade,
    -- Copied from the document so that filters apply inside the index scans.
    kind         text not null,
    levels       text[] not null,
    field        text not null,
    agency       text not null,
    locality     text not null,
    section      text not null,
    heading      text not null default '',
    heading_path text[] not null default '{}',
    article      text not null default '',
    ordinal      integer not null,
    text         text not null,
    tsv          tsvector not null, -- accented words; title and aliases weigh A, heading B
    tsv_folded   tsvector not null, -- the same, diacritics folded
    embedding    vector             -- typed vector(dim) once an embedder is registered
);
create index chunks_document on chunks (document_id, ordinal);
create index chunks_tsv on chunks using gin (tsv);
create index chunks_tsv_folded on chunks using gin (tsv_folded);
