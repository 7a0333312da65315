package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Generation returns the corpus generation: a counter bumped by every committed change to the
// documents (and so to their chunks). Indexes built from the store compare it to know whether
// they are stale.
func (db *DB) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := db.pool.QueryRow(ctx, `select generation from corpus_state`).Scan(&g)
	return g, wrap("read corpus generation", err)
}

// LexicalDocument is what a lexical index keeps of a document: its filter fields and the
// text of its title field (title, aliases and code).
type LexicalDocument struct {
	ID, Kind, Field, Agency, Locality string
	Levels                            []string
	Title                             string
}

// LexicalChunk is what a lexical index reads of a chunk: its heading path below the title and
// its text.
type LexicalChunk struct {
	ID       int64
	Document int // index of its document in the order LexicalScan delivered them
	Heading  string
	Text     string
}

// LexicalScan reads every document and then every chunk, grouped by document in document
// order, from one snapshot, and returns the generation of that snapshot. The callbacks
// receive each row in turn; their strings are not reused.
func (db *DB) LexicalScan(ctx context.Context, doc func(LexicalDocument) error, chunk func(LexicalChunk) error) (int64, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, wrap("lexical scan", err)
	}
	defer tx.Rollback(ctx)
	gen, err := lexicalScan(ctx, tx, doc, chunk)
	if err != nil {
		return 0, wrap("lexical scan", err)
	}
	return gen, wrap("lexical scan", tx.Commit(ctx))
}

func lexicalScan(ctx context.Context, tx pgx.Tx, doc func(LexicalDocument) error, chunk func(LexicalChunk) error) (int64, error) {
	var gen int64
	if err := tx.QueryRow(ctx, `select generation from corpus_state`).Scan(&gen); err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `select id, kind, field, agency, locality, levels,
			concat_ws(' ; ', title, array_to_string(aliases, ' ; '), code)
		from documents order by id`)
	if err != nil {
		return 0, err
	}
	index := map[string]int{}
	for rows.Next() {
		var d LexicalDocument
		if err := rows.Scan(&d.ID, &d.Kind, &d.Field, &d.Agency, &d.Locality, &d.Levels, &d.Title); err != nil {
			rows.Close()
			return 0, err
		}
		index[d.ID] = len(index)
		if err := doc(d); err != nil {
			rows.Close()
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// The heading path's first element is the document title, already in the title field.
	rows, err = tx.Query(ctx, `select id, document_id, array_to_string(heading_path[2:], ' '), text
		from chunks order by document_id, ordinal`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var c LexicalChunk
		var docID string
		if err := rows.Scan(&c.ID, &docID, &c.Heading, &c.Text); err != nil {
			return 0, err
		}
		c.Document = index[docID]
		if err := chunk(c); err != nil {
			return 0, err
		}
	}
	return gen, rows.Err()
}
