-- One vector per document beside the chunks' vectors: the built-in trained embedder places a
-- citizen's question near the vector of the procedure it means (its label), which ranks
-- procedures better than any one chunk does. Typed vector(dim) with the chunks' column once
-- an embedder is registered. The catalog holds a few thousand documents: an exact scan takes
-- about a millisecond, so there is no index.
alter table documents add column embedding vector;

do $$
declare d integer;
begin
    select dim into d from embedder_info;
    if found then
        execute format('alter table documents alter column embedding type vector(%s)', d);
    end if;
end
$$;
