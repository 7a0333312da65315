// Package postgres is the store: documents, chunks with their embeddings
// (pgvector), conversations and feedback. Public methods open a transaction or take a pooled
// connection and call unexported helpers; filter values are always query arguments.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
	"github.com/thutuc/thutuc"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DefaultEfSearch is the HNSW search breadth: the candidates kept while walking the graph.
// Higher finds more of the true nearest chunks and costs time (make bench: recall and
// latency for 40 to 400).
const DefaultEfSearch = 100

// Options tune the store.
type Options struct {
	MaxConns int32        // pool size (default 16)
	EfSearch int          // hnsw.ef_search for vector queries (default DefaultEfSearch)
	Logger   *slog.Logger // default slog.Default()
}

// DB is the store.
type DB struct {
	pool   *pgxpool.Pool
	logger *slog.Logger
}

// Open connects to the database at url. It does not fail when the database is down: the pool
// connects lazily, so a service can start, answer 503 and recover when the database returns.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, thutuc.Errorf(thutuc.EINVALID, "invalid DATABASE_URL: %v", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	} else {
		cfg.MaxConns = 16
	}
	if opts.EfSearch <= 0 {
		opts.EfSearch = DefaultEfSearch
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	ef := opts.EfSearch
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		// Binary vector encoding when the extension exists; before the first migration it may
		// not, and vectors still travel as text.
		var ok bool
		if err := conn.QueryRow(ctx, "select exists (select 1 from pg_type where typname = 'vector')").Scan(&ok); err != nil {
			return err
		}
		if ok {
			if err := pgxvec.RegisterTypes(ctx, conn); err != nil {
				return fmt.Errorf("register vector types: %w", err)
			}
		}
		// Iterative scans keep filtered HNSW queries from returning fewer rows than asked.
		_, err := conn.Exec(ctx, fmt.Sprintf("set hnsw.ef_search = %d; set hnsw.iterative_scan = relaxed_order", ef))
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return &DB{pool: pool, logger: opts.Logger}, nil
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// Pool exposes the connection pool to sibling packages' tests and tools.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return wrap("ping database", err)
	}
	return nil
}

// migrations returns the embedded migration names in order.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies the embedded migrations that have not run yet, each in its own transaction,
// and records them. Concurrent callers serialise on an advisory lock.
func (db *DB) Migrate(ctx context.Context) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return wrap("migrate", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "select pg_advisory_lock(727274)"); err != nil {
		return wrap("migrate: lock", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock(727274)")

	if _, err := conn.Exec(ctx, `create table if not exists migrations (name text primary key, applied_at timestamptz not null default now())`); err != nil {
		return wrap("migrate: create migrations table", err)
	}
	names, err := migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, name := range names {
		if err := db.migrateFile(ctx, conn.Conn(), name); err != nil {
			return err
		}
	}
	// Types created by a migration (vector) are registered on new connections only.
	db.pool.Reset()
	// A killed bulk import leaves the store without its vector index; an import at work now
	// builds it at its end.
	busy, err := db.Writing(ctx)
	if err != nil {
		return wrap("migrate: check writers", err)
	}
	if !busy {
		if err := db.RestoreVectorIndex(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, conn *pgx.Conn, name string) error {
	var n int
	if err := conn.QueryRow(ctx, `select count(*) from migrations where name = $1`, name).Scan(&n); err != nil {
		return wrap("migrate "+name, err)
	}
	if n > 0 {
		return nil
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return wrap("migrate "+name, err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, string(buf)); err != nil {
		return wrap("migrate "+name, err)
	}
	if _, err := tx.Exec(ctx, `insert into migrations (name) values ($1)`, name); err != nil {
		return wrap("migrate "+name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return wrap("migrate "+name, err)
	}
	db.logger.Info("migration applied", "name", name)
	return nil
}

// Ready reports whether the database answers, every embedded migration has been applied and,
// unless an import is at work, the vector index is in place.
func (db *DB) Ready(ctx context.Context) error {
	names, err := migrations()
	if err != nil {
		return err
	}
	// The schema the store writes to is the first of the search path; a migrations table in a
	// later one (public, when tests run in their own schema) says nothing about it.
	var exists bool
	if err := db.pool.QueryRow(ctx, `select exists (select 1 from pg_tables where schemaname = current_schema() and tablename = 'migrations')`).Scan(&exists); err != nil {
		return wrap("check schema", err)
	}
	if !exists {
		return thutuc.Errorf(thutuc.EUNAVAILABLE, "Cơ sở dữ liệu chưa được khởi tạo (chạy thutuc migrate).")
	}
	var applied []string
	rows, err := db.pool.Query(ctx, `select name from migrations`)
	if err != nil {
		return wrap("check schema", err)
	}
	applied, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return wrap("check schema", err)
	}
	have := make(map[string]bool, len(applied))
	for _, a := range applied {
		have[a] = true
	}
	for _, n := range names {
		if !have[n] {
			return thutuc.Errorf(thutuc.EUNAVAILABLE, "Lược đồ cơ sở dữ liệu chưa cập nhật: thiếu %s (chạy thutuc migrate).", strings.TrimPrefix(n, "migrations/"))
		}
	}
	return db.checkVectorIndex(ctx)
}

// wrap adds what was being done to err, and marks connection failures as EUNAVAILABLE so that
// the HTTP layer answers 503 and the client retries later.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if isUnavailable(err) {
		return fmt.Errorf("%s: %w (cause: %v)", op,
			thutuc.Errorf(thutuc.EUNAVAILABLE, "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút."), err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func isUnavailable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), pgconn.Timeout(err):
		return true
	case errors.As(err, &pgErr):
		// 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	return strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "closed pool")
}
