package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

// proxy forwards TCP connections to the database so that a test can cut the database off and
// bring it back on the same address.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func startProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target, conns: map[net.Conn]bool{}}
	p.start("127.0.0.1:0")
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatalf("proxy listen: %v", err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// stop closes the listener and every open connection: the database is "down".
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestServeEndToEnd(t *testing.T) {
	_, dbURL := pgtest.MustOpenURL(t)
	u, _ := url.Parse(dbURL)
	px := startProxy(t, u.Host)
	u.Host = px.addr
	getenv := env(map[string]string{"DATABASE_URL": u.String(), "THUTUC_LOG_LEVEL": "error"})
	root := ingesttest.Root(t)
	ctx := context.Background()

	var out bytes.Buffer
	if err := run(ctx, []string{"ingest", filepath.Join(root, "corpus/procedures"), filepath.Join(root, "corpus/regulations")}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "35 written") {
		t.Errorf("ingest output: %s", out.String())
	}

	sctx, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(sctx, []string{"serve", "--addr", "127.0.0.1:0"}, getenv, nil, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve did not announce its address: %v", err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(strings.TrimPrefix(line, "thutuc serving on "))
	waitStatus(t, base+"/healthz", 200, 5*time.Second)

	search := func() (int, string) {
		resp, err := http.Post(base+"/v1/search", "application/json", strings.NewReader(`{"query": "đổi bằng lái xe cần gì"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := search(); code != 200 || !strings.Contains(body, "doi-giay-phep-lai-xe") {
		t.Fatalf("search: %d %s", code, body)
	}

	// The database goes away: readiness and the API say 503 with a JSON error.
	px.stop()
	waitStatus(t, base+"/readyz", 503, 10*time.Second)
	code, body := search()
	if code != 503 {
		t.Fatalf("search with the database down: %d %s", code, body)
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if json.Unmarshal([]byte(body), &e); e.Error.Code != "unavailable" || e.Error.Message == "" {
		t.Errorf("error body: %s", body)
	}
	if code, _ := getStatus(base + "/healthz"); code != 200 {
		t.Errorf("healthz with the database down = %d, want 200 (the process is up)", code)
	}

	// It comes back on the same address: the service recovers by itself.
	px.start(px.addr)
	waitStatus(t, base+"/readyz", 200, 20*time.Second)
	if code, body := search(); code != 200 {
		t.Fatalf("search after recovery: %d %s", code, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func getStatus(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func waitStatus(t *testing.T, u string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	last := 0
	for time.Now().Before(deadline) {
		if code, err := getStatus(u); err == nil {
			last = code
			if code == want {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: status %d after %s, want %d", u, last, within, want)
}

func TestIngestReportsCorruptFileAndIngestsTheRest(t *testing.T) {
	_, dbURL := pgtest.MustOpenURL(t)
	getenv := env(map[string]string{"DATABASE_URL": dbURL, "THUTUC_LOG_LEVEL": "error"})
	dir := t.TempDir()
	root := ingesttest.Root(t)
	good, err := os.ReadFile(filepath.Join(root, "corpus/procedures/cap-ho-chieu-pho-thong.md"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a-good.md", string(good))
	write("b-bad-yaml.md", "---\nid: x\ntitle: [unclosed\n---\n# X\n")
	write("c-no-front-matter.md", "# Just a title\n")
	write("README.md", "# not a sheet\n")

	var out bytes.Buffer
	err = run(context.Background(), []string{"ingest", dir}, getenv, nil, &out, io.Discard)
	if !errors.Is(err, ingest.ErrSomeFailed) || exitCode(err) != 3 {
		t.Fatalf("err = %v (exit %d), want ErrSomeFailed (exit 3)", err, exitCode(err))
	}
	for _, want := range []string{"1 written", "2 failed", "b-bad-yaml.md:3:", "c-no-front-matter.md:1:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"search", "--json", "--k", "1", "hộ chiếu"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"cap-ho-chieu-pho-thong"`) {
		t.Errorf("search after partial ingest: %s", out.String())
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"help"}, 0, "thutuc serve"},
		{nil, 2, ""},
		{[]string{"frobnicate"}, 2, ""},
		{[]string{"ingest"}, 2, ""},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		err := run(context.Background(), tt.args, env(nil), nil, &out, &errb)
		code := 0
		if err != nil {
			code = exitCode(err)
		}
		if code != tt.code || !strings.Contains(out.String(), tt.out) {
			t.Errorf("run(%q): exit %d, want %d; out %q", tt.args, code, tt.code, out.String())
		}
	}
}
