package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	pgvector "github.com/pgvector/pgvector-go"
	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/vntext"
)

// LevelKeys maps a level string such as "Cấp tỉnh, Cấp xã" to keys (tinh, xa).
func LevelKeys(level string) []string {
	var keys []string
	seen := map[string]bool{}
	for _, part := range strings.Split(level, ",") {
		k := LevelKey(part)
		if k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// LevelKey maps one level name (Cấp xã, cap xa, xa) to its key, "" when empty.
func LevelKey(level string) string {
	k := vntext.Key(level)
	k = strings.TrimPrefix(k, "cap ")
	switch k {
	case "":
		return ""
	case "bo", "trung uong", "bo nganh":
		return "bo"
	case "tinh", "thanh pho", "tinh thanh pho":
		return "tinh"
	case "xa", "phuong", "xa phuong":
		return "xa"
	}
	return strings.ReplaceAll(k, " ", "-")
}

// LevelNames returns the level names the documents give each level key, the most common
// spelling of each ("co-quan-khac" → "Cơ quan khác"), so that no key need be shown as it is.
func (db *DB) LevelNames(ctx context.Context) (_ map[string]string, err error) {
	defer func() { err = wrap("list level names", err) }()
	rows, err := db.pool.Query(ctx, `select btrim(p), count(*) from documents, unnest(string_to_array(level, ',')) p
		where btrim(p) <> '' group by 1 order by 2 desc, 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		if k := LevelKey(name); k != "" && out[k] == "" {
			out[k] = strings.Join(strings.Fields(name), " ")
		}
	}
	return out, rows.Err()
}

// AgencyKey is the key under which spellings of one agency field name the same agency:
// Unicode NFC, lower case, one tone placement (Ủy and Uỷ), single spaces, no closing full
// stop, and its comma-separated parts in sorted order, since the catalog lists the same agencies
// in any order ("Công an tỉnh, Công an cấp Xã" and "Công an cấp xã, Công an tỉnh"). "" when
// empty.
func AgencyKey(agency string) string {
	parts := strings.Split(vntext.Normalize(agency), ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.Trim(p, " .;"); p != "" {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// DocumentState is what the store knows about a stored document, for idempotent ingestion.
type DocumentState struct {
	ContentHash string
	SourcePath  string
}

// DocumentStates returns the state of every stored document whose source path is path or
// lies under it (path + "/" or path + "#" for records inside one file).
func (db *DB) DocumentStates(ctx context.Context, path string) (map[string]DocumentState, error) {
	rows, err := db.pool.Query(ctx, `select id, content_hash, source_path from documents
		where source_path = $1 or source_path like $2 or source_path like $3`,
		path, likePrefix(path)+"/%", likePrefix(path)+"#%")
	if err != nil {
		return nil, wrap("list document states", err)
	}
	defer rows.Close()
	out := map[string]DocumentState{}
	for rows.Next() {
		var id string
		var s DocumentState
		if err := rows.Scan(&id, &s.ContentHash, &s.SourcePath); err != nil {
			return nil, wrap("list document states", err)
		}
		out[id] = s
	}
	return out, wrap("list document states", rows.Err())
}

func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// DocumentHash returns the content hash and source path of document id, or ENOTFOUND.
func (db *DB) DocumentHash(ctx context.Context, id string) (DocumentState, error) {
	var s DocumentState
	err := db.pool.QueryRow(ctx, `select content_hash, source_path from documents where id = $1`, id).Scan(&s.ContentHash, &s.SourcePath)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, thutuc.Errorf(thutuc.ENOTFOUND, "Không tìm thấy tài liệu %q.", id)
	}
	return s, wrap("get document hash", err)
}

// ReplaceDocument stores doc and its chunks in one transaction, replacing any document with
// the same id. Chunks must carry embeddings of the registered embedder.
func (db *DB) ReplaceDocument(ctx context.Context, doc *thutuc.Document, chunks []thutuc.Chunk) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return wrap("replace document "+doc.ID, err)
	}
	defer tx.Rollback(ctx)
	if err := replaceDocument(ctx, tx, doc, chunks); err != nil {
		return wrap("replace document "+doc.ID, err)
	}
	return wrap("replace document "+doc.ID, tx.Commit(ctx))
}

func replaceDocument(ctx context.Context, tx pgx.Tx, doc *thutuc.Document, chunks []thutuc.Chunk) error {
	if _, err := tx.Exec(ctx, `delete from documents where id = $1`, doc.ID); err != nil {
		return err
	}
	meta, err := json.Marshal(doc.Metadata)
	if err != nil {
		return fmt.Errorf("encode metadata: %w", err)
	}
	if doc.Metadata == nil {
		meta = []byte("{}")
	}
	var asOf any
	if doc.AsOf != "" {
		asOf = doc.AsOf
	}
	levels := LevelKeys(doc.Level)
	if levels == nil {
		levels = []string{}
	}
	aliases := doc.Aliases
	if aliases == nil {
		aliases = []string{}
	}
	var emb any
	if len(doc.Embedding) > 0 {
		emb = pgvector.NewVector(doc.Embedding)
	}
	if _, err := tx.Exec(ctx, `insert into documents
		(id, kind, code, title, aliases, field, level, levels, agency, locality, metadata, source_url, source_path, as_of, content_hash, body, embedding)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		doc.ID, doc.Kind, doc.Code, doc.Title, aliases, doc.Field, doc.Level, levels, doc.Agency, doc.Locality,
		meta, doc.SourceURL, doc.SourcePath, asOf, doc.ContentHash, doc.Body, emb); err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	if len(chunks) == 0 {
		return nil
	}
	n := len(chunks)
	sections, headings, hpaths, articles, texts := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ordinals := make([]int32, n)
	embs := make([]pgvector.Vector, n)
	for i, c := range chunks {
		sections[i], headings[i], hpaths[i], articles[i] = c.Section, c.Heading, strings.Join(c.HeadingPath, "\x1f"), c.Article
		ordinals[i], texts[i] = int32(c.Ordinal), c.Text
		if len(c.Embedding) == 0 {
			return fmt.Errorf("chunk %d of %s has no embedding", i, doc.ID)
		}
		embs[i] = pgvector.NewVector(c.Embedding)
	}
	_, err = tx.Exec(ctx, `insert into chunks
		(document_id, kind, levels, field, agency, locality, section, heading, heading_path, article, ordinal, text, embedding)
		select $1, $2, $3, $4, $5, $6, s.section, s.heading,
			case when s.hpath = '' then '{}'::text[] else string_to_array(s.hpath, E'\x1f') end,
			s.article, s.ordinal, s.text, s.emb
		from unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::vector[])
			as s(section, heading, hpath, article, ordinal, text, emb)`,
		doc.ID, doc.Kind, levels, doc.Field, doc.Agency, doc.Locality,
		sections, headings, hpaths, articles, ordinals, texts, embs)
	if err != nil {
		return fmt.Errorf("insert chunks: %w", err)
	}
	return nil
}

// TouchSourcePath records a new source path for an unchanged document (a moved file).
func (db *DB) TouchSourcePath(ctx context.Context, id, path string) error {
	_, err := db.pool.Exec(ctx, `update documents set source_path = $2 where id = $1 and source_path <> $2`, id, path)
	return wrap("update source path of "+id, err)
}

// DeleteDocuments deletes the documents with the given ids and returns how many were deleted.
func (db *DB) DeleteDocuments(ctx context.Context, ids []string) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	tag, err := db.pool.Exec(ctx, `delete from documents where id = any($1)`, ids)
	if err != nil {
		return 0, wrap("delete documents", err)
	}
	return tag.RowsAffected(), nil
}

// Document returns the whole document id with its chunks in order, or ENOTFOUND.
func (db *DB) Document(ctx context.Context, id string) (*thutuc.Document, error) {
	var d thutuc.Document
	var meta []byte
	var asOf *string
	err := db.pool.QueryRow(ctx, `select id, kind, code, title, aliases, field, level, agency, locality, metadata,
		source_url, source_path, to_char(as_of, 'YYYY-MM-DD'), content_hash, body, updated_at
		from documents where id = $1`, id).Scan(&d.ID, &d.Kind, &d.Code, &d.Title, &d.Aliases, &d.Field, &d.Level,
		&d.Agency, &d.Locality, &meta, &d.SourceURL, &d.SourcePath, &asOf, &d.ContentHash, &d.Body, &d.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, thutuc.Errorf(thutuc.ENOTFOUND, "Không tìm thấy tài liệu %q.", id)
	} else if err != nil {
		return nil, wrap("get document "+id, err)
	}
	if asOf != nil {
		d.AsOf = *asOf
	}
	if err := json.Unmarshal(meta, &d.Metadata); err != nil {
		return nil, fmt.Errorf("get document %s: decode metadata: %w", id, err)
	}
	rows, err := db.pool.Query(ctx, `select id, section, heading, heading_path, article, ordinal, text
		from chunks where document_id = $1 order by ordinal`, id)
	if err != nil {
		return nil, wrap("get chunks of "+id, err)
	}
	defer rows.Close()
	for rows.Next() {
		c := thutuc.Chunk{DocumentID: id}
		if err := rows.Scan(&c.ID, &c.Section, &c.Heading, &c.HeadingPath, &c.Article, &c.Ordinal, &c.Text); err != nil {
			return nil, wrap("get chunks of "+id, err)
		}
		d.Chunks = append(d.Chunks, c)
	}
	return &d, wrap("get chunks of "+id, rows.Err())
}

// documentFilterSQL restricts documents by the arguments $1..$7 of Documents ($4: the
// spellings of the agency, see agencySpellings).
const documentFilterSQL = `($1 = '' or kind = $1) and ($2 = '' or $2 = any(levels)) and ($3 = '' or field = $3)
	and (cardinality($4::text[]) = 0 or agency = any($4)) and ($5 = '' or locality = $5 or locality = '')
	and (cardinality($6::text[]) = 0 or id = any($6)) and (cardinality($7::text[]) = 0 or code = any($7))`

// DocumentFilter selects documents to list. Values are always query arguments.
type DocumentFilter struct {
	thutuc.Filter
	IDs    []string // when set, only these
	Codes  []string // when set, only documents with one of these official codes
	Offset int
	Limit  int // default 50, at most 500
}

// Documents lists document summaries ordered by kind and title, and the total that match.
// The agency filter matches every spelling of the agency (see AgencyKey). Listed by codes, the
// sheets come before the catalog records of their codes (whose id is the code).
func (db *DB) Documents(ctx context.Context, f DocumentFilter) (_ []thutuc.DocumentSummary, total int, err error) {
	defer func() { err = wrap("list documents", err) }()
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 500 {
		f.Limit = 500
	}
	agencies, err := db.agencySpellings(ctx, f.Agency)
	if err != nil {
		return nil, 0, err
	}
	args := []any{f.Kind, LevelKey(f.Level), f.Field, agencies, f.Locality, nonNil(f.IDs), nonNil(f.Codes)}
	rows, err := db.pool.Query(ctx, `select id, kind, code, title, field, level, agency, locality, source_url,
			coalesce(to_char(as_of, 'YYYY-MM-DD'), ''), count(*) over ()
		from documents
		where `+documentFilterSQL+`
		order by kind, case when cardinality($7::text[]) > 0 then id = code end, title, id
		offset $8 limit $9`, append(args, f.Offset, f.Limit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []thutuc.DocumentSummary
	for rows.Next() {
		var d thutuc.DocumentSummary
		if err := rows.Scan(&d.ID, &d.Kind, &d.Code, &d.Title, &d.Field, &d.Level, &d.Agency, &d.Locality, &d.SourceURL, &d.AsOf, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && f.Offset > 0 {
		// count(*) over () is 0 past the end: count separately.
		if err := db.pool.QueryRow(ctx, `select count(*) from documents where `+documentFilterSQL, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count: %w", err)
		}
	}
	return out, total, nil
}

// agencySpellings returns the stored spellings of agency (every agency field with its
// AgencyKey), for filters: none when agency is "", and agency itself when no stored field
// spells it, so that it matches nothing rather than everything.
func (db *DB) agencySpellings(ctx context.Context, agency string) ([]string, error) {
	key := AgencyKey(agency)
	if key == "" {
		return []string{}, nil
	}
	rows, err := db.pool.Query(ctx, `select distinct agency from documents where agency <> ''`)
	if err != nil {
		return nil, fmt.Errorf("agency spellings: %w", err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("agency spellings: %w", err)
	}
	out := []string{agency}
	for _, a := range all {
		if a != agency && AgencyKey(a) == key {
			out = append(out, a)
		}
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Facet is one value of a filterable field with the number of documents that have it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets returns the values of field, level keys, agency and kind with their counts, for
// filter menus. Agencies come one per AgencyKey, under their most common spelling, with the
// documents of all their spellings counted.
func (db *DB) Facets(ctx context.Context) (map[string][]Facet, error) {
	out := map[string][]Facet{}
	queries := map[string]string{
		"kind":   `select kind, count(*) from documents group by 1 order by 2 desc, 1`,
		"field":  `select field, count(*) from documents where field <> '' group by 1 order by 2 desc, 1 limit 200`,
		"agency": `select agency, count(*) from documents where agency <> '' group by 1 order by 2 desc, 1`,
		"level":  `select l, count(*) from documents, unnest(levels) l group by 1 order by 2 desc, 1`,
	}
	for name, q := range queries {
		rows, err := db.pool.Query(ctx, q)
		if err != nil {
			return nil, wrap("facets "+name, err)
		}
		fs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Facet, error) {
			var f Facet
			err := r.Scan(&f.Value, &f.Count)
			return f, err
		})
		if err != nil {
			return nil, wrap("facets "+name, err)
		}
		out[name] = fs
	}
	out["agency"] = mergeAgencies(out["agency"])
	return out, nil
}

// mergeAgencies merges agency facets (most common first) of the same AgencyKey into the first
// of them, its spaces and closing full stop tidied, and keeps the most common first.
func mergeAgencies(fs []Facet) []Facet {
	at := map[string]int{}
	var out []Facet
	for _, f := range fs {
		k := AgencyKey(f.Value)
		if i, ok := at[k]; ok {
			out[i].Count += f.Count
			continue
		}
		at[k] = len(out)
		out = append(out, Facet{Value: strings.Trim(strings.Join(strings.Fields(f.Value), " "), " .;"), Count: f.Count})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// Regulation is a stored regulation, as legal-basis lines may name it.
type Regulation struct {
	ID, Code, Title string
	Aliases         []string
}

// Regulations returns every stored regulation, by id.
func (db *DB) Regulations(ctx context.Context) (_ []Regulation, err error) {
	defer func() { err = wrap("list regulations", err) }()
	rows, err := db.pool.Query(ctx, `select id, code, title, aliases from documents where kind = $1 order by id`, thutuc.KindRegulation)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Regulation, error) {
		var g Regulation
		err := r.Scan(&g.ID, &g.Code, &g.Title, &g.Aliases)
		return g, err
	})
}

// Articles returns the article numbers ("20", "20a") of the given documents' chunks, by
// document.
func (db *DB) Articles(ctx context.Context, ids []string) (_ map[string]map[string]bool, err error) {
	defer func() { err = wrap("list articles", err) }()
	rows, err := db.pool.Query(ctx, `select document_id, article from chunks
		where document_id = any($1) and article <> '' group by 1, 2`, nonNil(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var id, article string
		if err := rows.Scan(&id, &article); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]bool{}
		}
		out[id][article] = true
	}
	return out, rows.Err()
}

// ChunkCount returns the number of stored chunks.
func (db *DB) ChunkCount(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `select count(*) from chunks`).Scan(&n)
	return n, wrap("count chunks", err)
}

// DocumentIDs returns the ids of the stored documents of a kind ("" for all), sorted.
func (db *DB) DocumentIDs(ctx context.Context, kind string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `select id from documents where $1 = '' or kind = $1 order by id`, kind)
	if err != nil {
		return nil, wrap("list documents", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, wrap("list documents", err)
}

// Codes returns the official codes of the stored documents, each once.
func (db *DB) Codes(ctx context.Context) (map[string]bool, error) {
	rows, err := db.pool.Query(ctx, `select distinct code from documents where code <> ''`)
	if err != nil {
		return nil, wrap("list codes", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, wrap("list codes", err)
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}
