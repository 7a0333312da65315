// Package pgtest gives tests a real, empty, migrated database of their own: a fresh schema in
// the database at DATABASE_URL (default: the project-local cluster of `make db`), dropped when
// the test ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/thutuc/thutuc/postgres"
)

// DefaultURL is the project-local cluster started by `make db`.
const DefaultURL = "postgres://thutuc@127.0.0.1:54329/thutuc?sslmode=disable"

// URL returns DATABASE_URL or DefaultURL.
func URL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// MustOpen returns a migrated store in a new schema; the schema is dropped at cleanup.
func MustOpen(tb testing.TB) *postgres.DB {
	tb.Helper()
	db, _ := MustOpenURL(tb)
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}

// MustOpenURL creates a new empty schema and returns an unmigrated store using it, with the
// connection URL that selects the schema.
func MustOpenURL(tb testing.TB) (*postgres.DB, string) {
	tb.Helper()
	ctx := context.Background()
	base := URL()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to test database %s (run `make db` or set DATABASE_URL): %v", base, err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "create schema "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	// The vector extension lives in public; the schema comes first so tables land in it.
	q.Set("search_path", schema+",public")
	// A test's writes are thrown away: no need to wait for them to reach the disk, even on a
	// durable cluster.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String(), postgres.Options{MaxConns: 8})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() {
		db.Close()
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			tb.Errorf("cleanup: %v", err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), fmt.Sprintf("drop schema %s cascade", schema)); err != nil {
			tb.Errorf("cleanup: drop schema %s: %v", schema, err)
		}
	})
	return db, u.String()
}
