package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	pgvector "github.com/pgvector/pgvector-go"
	"github.com/thutuc/thutuc"
)

// ChunkHit is a chunk found by one retriever, with that retriever's score.
type ChunkHit struct {
	ChunkID    int64
	DocumentID string
	Levels     []string // the document's level keys (bo, tinh, xa), for level tie-breaks
	Score      float64  // text: rank (higher is better); vector: cosine distance (lower is better)
}

// searchArgs returns a thutuc.Filter as the query arguments every search takes ($2..$6), the
// agency as all its stored spellings.
func (db *DB) searchArgs(ctx context.Context, f thutuc.Filter) ([]any, error) {
	agencies, err := db.agencySpellings(ctx, f.Agency)
	if err != nil {
		return nil, err
	}
	return []any{f.Kind, LevelKey(f.Level), f.Field, agencies, f.Locality}, nil
}

// filterSQL restricts chunks by the arguments of searchArgs, numbered from $2.
const filterSQL = `($2 = '' or kind = $2) and ($3 = '' or $3 = any(levels)) and ($4 = '' or field = $4)
	and (cardinality($5::text[]) = 0 or agency = any($5)) and ($6 = '' or locality = $6 or locality = '')`

// SearchVector returns the chunks nearest to v by cosine distance. The query has the form
// ORDER BY embedding <=> $v LIMIT k so that the HNSW index is used.
func (db *DB) SearchVector(ctx context.Context, v []float32, f thutuc.Filter, limit int) ([]ChunkHit, error) {
	if limit <= 0 {
		limit = 50
	}
	fargs, err := db.searchArgs(ctx, f)
	if err != nil {
		return nil, wrap("vector search", err)
	}
	args := append(append([]any{limit}, fargs...), pgvector.NewVector(v))
	rows, err := db.pool.Query(ctx, `select id, document_id, levels, embedding <=> $7 as distance
		from chunks
		where `+filterSQL+`
		order by embedding <=> $7
		limit $1`, args...)
	if err != nil {
		return nil, wrap("vector search", err)
	}
	return collectHits(rows, "vector search")
}

// SearchVectorExact is SearchVector without the index (a sequential scan), the ground truth
// for measuring the index's recall.
func (db *DB) SearchVectorExact(ctx context.Context, v []float32, limit int) ([]ChunkHit, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, wrap("exact vector search", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `set local enable_indexscan = off`); err != nil {
		return nil, wrap("exact vector search", err)
	}
	rows, err := tx.Query(ctx, `select id, document_id, levels, embedding <=> $1 as distance from chunks order by embedding <=> $1 limit $2`,
		pgvector.NewVector(v), limit)
	if err != nil {
		return nil, wrap("exact vector search", err)
	}
	return collectHits(rows, "exact vector search")
}

func collectHits(rows pgx.Rows, op string) ([]ChunkHit, error) {
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ChunkHit, error) {
		var h ChunkHit
		err := r.Scan(&h.ChunkID, &h.DocumentID, &h.Levels, &h.Score)
		return h, err
	})
	return hits, wrap(op, err)
}

// ChunkView is a chunk with the document fields a search result shows.
type ChunkView struct {
	thutuc.Chunk
	Code, Title, Kind, Level, SourceURL, AsOf string
}

// Chunks loads the chunks with the given ids, with their documents' fields.
func (db *DB) Chunks(ctx context.Context, ids []int64) (map[int64]ChunkView, error) {
	rows, err := db.pool.Query(ctx, `select c.id, c.document_id, c.section, c.heading, c.heading_path, c.article, c.ordinal, c.text,
			d.code, d.title, d.kind, d.level, d.source_url, coalesce(to_char(d.as_of, 'YYYY-MM-DD'), '')
		from chunks c join documents d on d.id = c.document_id
		where c.id = any($1)`, ids)
	if err != nil {
		return nil, wrap("load chunks", err)
	}
	defer rows.Close()
	out := make(map[int64]ChunkView, len(ids))
	for rows.Next() {
		var v ChunkView
		if err := rows.Scan(&v.ID, &v.DocumentID, &v.Section, &v.Heading, &v.HeadingPath, &v.Article, &v.Ordinal, &v.Text,
			&v.Code, &v.Title, &v.Kind, &v.Level, &v.SourceURL, &v.AsOf); err != nil {
			return nil, wrap("load chunks", err)
		}
		out[v.ID] = v
	}
	return out, wrap("load chunks", rows.Err())
}

// DocumentChunks returns the chunks of the given sections of document id, in order
// (all sections when none are given).
func (db *DB) DocumentChunks(ctx context.Context, id string, sections []string) ([]ChunkView, error) {
	rows, err := db.pool.Query(ctx, `select c.id, c.document_id, c.section, c.heading, c.heading_path, c.article, c.ordinal, c.text,
			d.code, d.title, d.kind, d.level, d.source_url, coalesce(to_char(d.as_of, 'YYYY-MM-DD'), '')
		from chunks c join documents d on d.id = c.document_id
		where c.document_id = $1 and (cardinality($2::text[]) = 0 or c.section = any($2))
		order by c.ordinal`, id, nonNil(sections))
	if err != nil {
		return nil, wrap(fmt.Sprintf("load chunks of %s", id), err)
	}
	defer rows.Close()
	var out []ChunkView
	for rows.Next() {
		var v ChunkView
		if err := rows.Scan(&v.ID, &v.DocumentID, &v.Section, &v.Heading, &v.HeadingPath, &v.Article, &v.Ordinal, &v.Text,
			&v.Code, &v.Title, &v.Kind, &v.Level, &v.SourceURL, &v.AsOf); err != nil {
			return nil, wrap("load chunks of "+id, err)
		}
		out = append(out, v)
	}
	return out, wrap("load chunks of "+id, rows.Err())
}

// Analyze refreshes the planner's statistics of the chunks.
func (db *DB) Analyze(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, `analyze chunks`)
	return wrap("analyze chunks", err)
}

// DocumentHit is a document found by its own vector.
type DocumentHit struct {
	DocumentID string
	Levels     []string
	Score      float64 // cosine distance (lower is better)
}

// SearchDocumentVectors returns the documents whose own vectors are nearest to v by cosine
// distance. It scans the documents exactly: the catalog holds a few thousand.
func (db *DB) SearchDocumentVectors(ctx context.Context, v []float32, f thutuc.Filter, limit int) ([]DocumentHit, error) {
	if limit <= 0 {
		limit = 50
	}
	fargs, err := db.searchArgs(ctx, f)
	if err != nil {
		return nil, wrap("document vector search", err)
	}
	args := append(append([]any{limit}, fargs...), pgvector.NewVector(v))
	rows, err := db.pool.Query(ctx, `select id, levels, embedding <=> $7 as distance
		from documents
		where embedding is not null and `+filterSQL+`
		order by embedding <=> $7
		limit $1`, args...)
	if err != nil {
		return nil, wrap("document vector search", err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DocumentHit, error) {
		var h DocumentHit
		err := r.Scan(&h.DocumentID, &h.Levels, &h.Score)
		return h, err
	})
	return hits, wrap("document vector search", err)
}

// LeadChunks returns the first chunk (lowest ordinal) of each of the given documents, for
// documents a search found by their own vectors only.
func (db *DB) LeadChunks(ctx context.Context, ids []string) (map[string]int64, error) {
	rows, err := db.pool.Query(ctx, `select distinct on (document_id) document_id, id
		from chunks where document_id = any($1) order by document_id, ordinal`, ids)
	if err != nil {
		return nil, wrap("load lead chunks", err)
	}
	defer rows.Close()
	out := make(map[string]int64, len(ids))
	for rows.Next() {
		var doc string
		var id int64
		if err := rows.Scan(&doc, &id); err != nil {
			return nil, wrap("load lead chunks", err)
		}
		out[doc] = id
	}
	return out, wrap("load lead chunks", rows.Err())
}
