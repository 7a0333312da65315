package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/web"
)

// freezer is a TCP proxy to Postgres that can stop forwarding while keeping its connections
// open: a database that hangs (SIGSTOP, a dead link) rather than refusing.
type freezer struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	frozen bool
	thaw   chan struct{}
}

func newFreezer(t *testing.T, target string) *freezer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln, target: target, thaw: make(chan struct{})}
	t.Cleanup(func() { ln.Close(); f.freeze(false) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *freezer) freeze(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.frozen && !on {
		close(f.thaw)
		f.thaw = make(chan struct{})
	}
	f.frozen = on
}

// wait blocks while the proxy is frozen.
func (f *freezer) wait() {
	f.mu.Lock()
	frozen, thaw := f.frozen, f.thaw
	f.mu.Unlock()
	if frozen {
		<-thaw
	}
}

func (f *freezer) serve(c net.Conn) {
	defer c.Close()
	s, err := net.Dial("tcp", f.target)
	if err != nil {
		return
	}
	defer s.Close()
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			f.wait()
			if n > 0 {
				if _, err := dst.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				if err == io.EOF {
					dst.(*net.TCPConn).CloseWrite()
				}
				return
			}
		}
	}
	go pipe(s, c)
	pipe(c, s)
}

// TestFrozenDatabase: while the database stops answering (a proxy that stops forwarding),
// every API request gives 503 with Retry-After within its deadline instead of hanging, and
// the service recovers by itself once the database answers again.
func TestFrozenDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for deadlines")
	}
	direct, u := pgtest.MustOpenURL(t)
	if err := direct.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ingesttest.MustIngestCorpus(t, direct)
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	f := newFreezer(t, pu.Host)
	pu.Host = f.ln.Addr().String()
	db, err := postgres.Open(context.Background(), pu.String(), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	lex, err := retrieval.ParseLexicon(corpus.Lexicon)
	if err != nil {
		t.Fatal(err)
	}
	searcher := retrieval.NewSearcher(db, ingesttest.Embedder(t), lex, nil)
	const deadline = time.Second
	svc := chat.New(chat.Config{Searcher: searcher, DB: db, DBTimeout: deadline})
	var logs syncBuffer
	srv := web.New(web.Config{ChatPerMinute: -1, DBTimeout: deadline}, db, searcher, svc, slog.New(slog.NewTextHandler(&logs, nil)))
	requests := []struct{ method, path, body string }{
		{"POST", "/v1/search", `{"query": "đăng ký khai sinh", "k": 3}`},
		{"POST", "/v1/chat", `{"message": "đăng ký khai sinh cần giấy tờ gì"}`},
		{"GET", "/v1/documents/dang-ky-khai-sinh", ""},
		{"GET", "/v1/documents?q=khai", ""},
		{"GET", "/tra-cuu", ""},
	}
	check := func(phase string, want int) {
		for _, r := range requests {
			start := time.Now()
			w := do(t, srv, r.method, r.path, r.body, nil)
			took := time.Since(start)
			if w.Code != want {
				t.Errorf("%s: %s %s = %d, want %d: %s", phase, r.method, r.path, w.Code, want, w.Body.String())
			}
			if want == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
				t.Errorf("%s: %s %s: 503 without Retry-After", phase, r.method, r.path)
			}
			if took > 3*deadline {
				t.Errorf("%s: %s %s took %v, want under %v", phase, r.method, r.path, took.Round(time.Millisecond), 3*deadline)
			}
		}
	}
	check("before", http.StatusOK)
	f.freeze(true)
	check("frozen", http.StatusServiceUnavailable)
	f.freeze(false)
	check("thawed", http.StatusOK)
	// The outage is logged once when it begins and once when it ends, with its count.
	out := logs.String()
	if n := strings.Count(out, "database unavailable"); n != 1 {
		t.Errorf("the outage was logged %d times at its start, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "database available again") || !strings.Contains(out, fmt.Sprintf("failed_requests=%d", len(requests))) {
		t.Errorf("the end of the outage is not logged with %d failed requests:\n%s", len(requests), out)
	}
	if strings.Contains(out, "request failed") || strings.Contains(out, "page failed") {
		t.Errorf("a failed request of the outage was logged on its own:\n%s", out)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent logging.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
