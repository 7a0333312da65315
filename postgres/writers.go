package postgres

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/thutuc/thutuc"
)

// writerLock is the advisory lock (with the hash of the store's schema as its second key)
// that serialises the writers of one store: ingests, and the restoring of its vector index.
const writerLock = 727275

// LockWriters takes the store's writer lock for the caller's run, waiting while another
// writer holds it (waiting, when not nil, is told first). The lock is a session lock on a
// connection of its own: it goes when release is first called, or when the process dies.
func (db *DB) LockWriters(ctx context.Context, waiting func()) (release func(), err error) {
	defer func() { err = wrap("lock the store for writing", err) }()
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	got, err := tryWriterLock(ctx, conn)
	if err != nil {
		conn.Release()
		return nil, err
	}
	if !got {
		if waiting != nil {
			waiting()
		}
		if _, err := conn.Exec(ctx, `select pg_advisory_lock($1, hashtext(current_schema()))`, writerLock); err != nil {
			// The connection may still wait for the lock server-side: do not hand it back.
			conn.Hijack().Close(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			if err := unlockWriters(context.WithoutCancel(ctx), conn); err != nil {
				conn.Hijack().Close(context.WithoutCancel(ctx))
				return
			}
			conn.Release()
		})
	}, nil
}

func tryWriterLock(ctx context.Context, conn *pgxpool.Conn) (bool, error) {
	var got bool
	err := conn.QueryRow(ctx, `select pg_try_advisory_lock($1, hashtext(current_schema()))`, writerLock).Scan(&got)
	return got, err
}

func unlockWriters(ctx context.Context, conn *pgxpool.Conn) error {
	_, err := conn.Exec(ctx, `select pg_advisory_unlock($1, hashtext(current_schema()))`, writerLock)
	return err
}

// Writing reports whether a writer (an ingest) holds the store's writer lock now. Readers
// that keep a copy of the store, as the lexical index does, wait for it to end before they
// copy again.
func (db *DB) Writing(ctx context.Context) (_ bool, err error) {
	defer func() { err = wrap("check for a writer", err) }()
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Release()
	got, err := tryWriterLock(ctx, conn)
	if err != nil {
		return false, err
	}
	if got {
		if err := unlockWriters(ctx, conn); err != nil {
			return false, err
		}
	}
	return !got, nil
}

// vectorIndexMissing reports whether the store has an embedder but not the HNSW index of its
// chunks: a bulk import that was killed after dropping it.
func (db *DB) vectorIndexMissing(ctx context.Context) (bool, error) {
	if _, ok, err := db.Embedder(ctx); err != nil || !ok {
		return false, err
	}
	var ok bool
	err := db.pool.QueryRow(ctx, `select exists (select 1 from pg_indexes where schemaname = current_schema()
		and tablename = 'chunks' and indexname = 'chunks_embedding')`).Scan(&ok)
	return !ok, err
}

// RestoreVectorIndex builds the HNSW index when it is missing. The caller holds the writer
// lock, or knows that no writer is at work.
func (db *DB) RestoreVectorIndex(ctx context.Context) error {
	missing, err := db.vectorIndexMissing(ctx)
	if err != nil || !missing {
		return wrap("restore vector index", err)
	}
	db.logger.Warn("the vector index is missing (an import was interrupted): rebuilding it")
	return db.CreateVectorIndex(ctx)
}

// checkVectorIndex is the readiness check of the vector index: a store with an embedder must
// have it, unless a writer is at work (a bulk import builds it at its end).
func (db *DB) checkVectorIndex(ctx context.Context) error {
	missing, err := db.vectorIndexMissing(ctx)
	if err != nil || !missing {
		return wrap("check vector index", err)
	}
	busy, err := db.Writing(ctx)
	if err != nil {
		return wrap("check vector index", err)
	}
	if busy {
		return nil
	}
	return thutuc.Errorf(thutuc.EUNAVAILABLE, "Chỉ mục vector của kho dữ liệu bị thiếu (một lần nạp dữ liệu bị ngắt): chạy thutuc migrate để dựng lại.")
}
