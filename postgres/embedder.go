package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/thutuc/thutuc"
)

// EmbedderInfo names the embedder whose vectors fill the store.
type EmbedderInfo struct {
	Name string
	Dim  int
}

// Embedder returns the registered embedder, or ok=false when none is registered yet.
func (db *DB) Embedder(ctx context.Context) (info EmbedderInfo, ok bool, err error) {
	err = db.pool.QueryRow(ctx, `select name, dim from embedder_info`).Scan(&info.Name, &info.Dim)
	if errors.Is(err, pgx.ErrNoRows) {
		return info, false, nil
	} else if err != nil {
		return info, false, wrap("get embedder", err)
	}
	return info, true, nil
}

// EnsureEmbedder registers want as the store's embedder if none is registered, typing the
// embedding column and building its HNSW index; it returns ECONFLICT when another embedder
// filled the store, because vectors of two embedders cannot be compared.
func (db *DB) EnsureEmbedder(ctx context.Context, want EmbedderInfo) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return wrap("register embedder", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `lock table embedder_info in exclusive mode`); err != nil {
		return wrap("register embedder", err)
	}
	var have EmbedderInfo
	err = tx.QueryRow(ctx, `select name, dim from embedder_info`).Scan(&have.Name, &have.Dim)
	switch {
	case err == nil:
		if have != want {
			return thutuc.Errorf(thutuc.ECONFLICT,
				"the store holds vectors of embedder %s (dimension %d) but %s (dimension %d) is configured; "+
					"configure %s again, or re-embed everything with `thutuc ingest --reembed PATH...`",
				have.Name, have.Dim, want.Name, want.Dim, have.Name)
		}
		return nil
	case !errors.Is(err, pgx.ErrNoRows):
		return wrap("register embedder", err)
	}
	if err := setEmbedder(ctx, tx, want); err != nil {
		return wrap("register embedder", err)
	}
	return wrap("register embedder", tx.Commit(ctx))
}

func setEmbedder(ctx context.Context, tx pgx.Tx, e EmbedderInfo) error {
	if e.Dim <= 0 || e.Dim > 16000 {
		return thutuc.Errorf(thutuc.EINVALID, "embedding dimension %d out of range", e.Dim)
	}
	if _, err := tx.Exec(ctx, `insert into embedder_info (name, dim) values ($1, $2)`, e.Name, e.Dim); err != nil {
		return err
	}
	// DDL takes no parameters; Dim is an integer checked above.
	if _, err := tx.Exec(ctx, fmt.Sprintf(`alter table chunks alter column embedding type vector(%d)`, e.Dim)); err != nil {
		return fmt.Errorf("type embedding column: %w", err)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`alter table documents alter column embedding type vector(%d)`, e.Dim)); err != nil {
		return fmt.Errorf("type document embedding column: %w", err)
	}
	if _, err := tx.Exec(ctx, `create index if not exists chunks_embedding on chunks using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)`); err != nil {
		return fmt.Errorf("create hnsw index: %w", err)
	}
	return nil
}

// ResetEmbedder deletes every document and the embedder registration, so that the store can be
// filled again by another embedder.
func (db *DB) ResetEmbedder(ctx context.Context) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return wrap("reset embedder", err)
	}
	defer tx.Rollback(ctx)
	for _, q := range []string{
		`delete from documents`,
		`drop index if exists chunks_embedding`,
		`alter table chunks alter column embedding type vector`,
		`alter table documents alter column embedding type vector`,
		`delete from embedder_info`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return wrap("reset embedder", err)
		}
	}
	return wrap("reset embedder", tx.Commit(ctx))
}

// DropVectorIndex and CreateVectorIndex let a bulk load build the HNSW index once, after
// inserting, which is much faster than maintaining it row by row.
func (db *DB) DropVectorIndex(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, `drop index if exists chunks_embedding`)
	return wrap("drop vector index", err)
}

// CreateVectorIndex builds the HNSW index if it is missing.
func (db *DB) CreateVectorIndex(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return wrap("create vector index", err)
	}
	defer conn.Release()
	// More memory and both cores make the build several times faster.
	_, _ = conn.Exec(ctx, `set maintenance_work_mem = '1GB'; set max_parallel_maintenance_workers = 2`)
	_, err = conn.Exec(ctx, `create index if not exists chunks_embedding on chunks using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)`)
	return wrap("create vector index", err)
}
