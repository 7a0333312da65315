package chat

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

// conversation is one case of testdata/conversations.jsonl: turns of a citizen and what each
// must get.
type conversation struct {
	Name string `json:"name"`
	// Known names a gap the service has today: the conversation is played and its outcome
	// logged, and it does not fail the test (the closing note counts these).
	Known string `json:"known"`
	Turns []struct {
		Say string `json:"say"`
		// Status is the status wanted, or two separated by "|" ("answered|clarify": either,
		// and a clarification must offer one of Codes).
		Status string `json:"status"`
		// Codes are the official codes accepted (any level of the procedure): the one answered,
		// or, for a clarification, one of those offered.
		Codes []string `json:"codes"`
		// Pick: the answer must be about the Pick-th procedure the previous turn offered.
		Pick int `json:"pick"`
		// Cites: for each list, the answer must name a procedure of one of its codes ("mã
		// 1.001193"): a message about several procedures answers each.
		Cites [][]string `json:"cites"`
		// Says and Lacks: texts the answer must contain, and must not.
		Says  []string `json:"says"`
		Lacks []string `json:"lacks"`
	} `json:"turns"`
}

// TestConversationsOverCatalog plays multi-turn conversations over what deployers load — the
// bundled corpus, the national catalog and the laws — with the committed resolver: switches
// to a new need, follow-ups, clarifications answered in words, bare follow-ups, greetings,
// uncovered sectors and out-of-scope questions.
func TestConversationsOverCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the national catalog")
	}
	svc := catalogService(t)
	f, err := os.Open(filepath.Join("testdata", "conversations.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n, known := 0, 0
	for sc.Scan() {
		var c conversation
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("conversation %d: %v", n+1, err)
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			fail := t.Fatalf
			if c.Known != "" {
				known++
				fail = func(format string, args ...any) {
					t.Logf("known gap (%s): "+format, append([]any{c.Known}, args...)...)
					t.SkipNow()
				}
			}
			conv := ""
			var offered []Candidate
			for i, turn := range c.Turns {
				resp := ask(t, svc, Request{Message: turn.Say, ConversationID: conv})
				conv = resp.ConversationID
				got := resp.Status
				code := ""
				if resp.Procedure != nil {
					code = resp.Procedure.Code
					got += " " + resp.Procedure.Code + " " + resp.Procedure.Title
				}
				if !slices.Contains(strings.Split(turn.Status, "|"), resp.Status) {
					fail("turn %d %q: got %s, want %s", i+1, turn.Say, got, turn.Status)
				}
				switch {
				case resp.Status == StatusAnswered && len(turn.Codes) > 0 && !slices.Contains(turn.Codes, code):
					fail("turn %d %q: answered %s, want one of %v", i+1, turn.Say, got, turn.Codes)
				case resp.Status == StatusAnswered && turn.Pick > 0:
					if turn.Pick > len(offered) || resp.Procedure.ID != offered[turn.Pick-1].ID {
						fail("turn %d %q: answered %s, want offer %d of %v", i+1, turn.Say, got, turn.Pick, offered)
					}
				case resp.Status == StatusClarify && len(turn.Codes) > 0 && !offersCode(svc, resp.Candidates, turn.Codes):
					fail("turn %d %q: offered %v, want one of %v", i+1, turn.Say, resp.Candidates, turn.Codes)
				}
				for _, codes := range turn.Cites {
					if !slices.ContainsFunc(codes, func(c string) bool { return strings.Contains(resp.Answer, "mã "+c) }) {
						fail("turn %d %q: the answer names none of %v:\n%s", i+1, turn.Say, codes, resp.Answer)
					}
				}
				for _, s := range turn.Says {
					if !strings.Contains(resp.Answer, s) {
						fail("turn %d %q: the answer lacks %q:\n%s", i+1, turn.Say, s, resp.Answer)
					}
				}
				for _, s := range turn.Lacks {
					if strings.Contains(resp.Answer, s) {
						fail("turn %d %q: the answer has %q:\n%s", i+1, turn.Say, s, resp.Answer)
					}
				}
				offered = resp.Candidates
			}
			if c.Known != "" {
				t.Logf("known gap %q passes now: drop its known field", c.Name)
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n-known < 30 {
		t.Errorf("%d conversations besides the %d known gaps, want at least 30", n-known, known)
	}
}

// offersCode reports whether a clarification offers a procedure of one of the codes.
func offersCode(svc *Service, cands []Candidate, codes []string) bool {
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	names, err := svc.cfg.DB.DocumentNames(context.Background(), ids)
	if err != nil {
		return false
	}
	for _, id := range ids {
		if slices.Contains(codes, names[id].Code) {
			return true
		}
	}
	return false
}

// catalogService is a Service over a store of the test's own holding the bundled corpus, the
// national catalog and the laws of ../shared/data; the test is skipped without them. With
// CHAT_CATALOG_URL set, the store there (loaded the same way) is used instead of loading one.
func catalogService(t *testing.T) *Service {
	t.Helper()
	if u := os.Getenv("CHAT_CATALOG_URL"); u != "" {
		db, err := postgres.Open(context.Background(), u, postgres.Options{Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		s, err := newSearcher(db, ingesttest.Embedder(t))
		if err != nil {
			t.Fatal(err)
		}
		return warm(t, New(Config{Searcher: s, DB: db, Logger: testLogger(t)}))
	}
	data := filepath.Join("..", "..", "shared", "data")
	dvc, laws := filepath.Join(data, "dvc-procedures.jsonl"), filepath.Join(data, "laws-alqac2023.json")
	if _, err := os.Stat(dvc); err != nil {
		t.Skipf("catalog not available: %v", err)
	}
	ctx := context.Background()
	db := pgtest.MustOpen(t)
	emb, err := ingesttest.LoadEmbedder()
	if err != nil {
		t.Fatal(err)
	}
	base, err := corpus.KB()
	if err != nil {
		t.Fatal(err)
	}
	r := &ingest.Runner{DB: db, Embedder: emb, Importers: ingest.Importers(base), Logger: quietLogger()}
	for _, src := range []struct {
		paths  []string
		format string
	}{{[]string{"../corpus/procedures", "../corpus/regulations"}, ""}, {[]string{dvc}, ingest.FormatDVC}, {[]string{laws}, ingest.FormatLaws}} {
		if _, err := r.Ingest(ctx, src.paths, ingest.Options{Format: src.format}); err != nil {
			t.Fatalf("ingest %v: %v", src.paths, err)
		}
	}
	s, err := newSearcher(db, emb)
	if err != nil {
		t.Fatal(err)
	}
	return warm(t, New(Config{Searcher: s, DB: db, Logger: testLogger(t)}))
}

// warm builds the lexical index of a catalog-sized store, which outlasts a message's time
// limit for the database, before the first message.
func warm(t *testing.T, s *Service) *Service {
	t.Helper()
	if err := s.cfg.Searcher.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
