package chat

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
)

// catalogService is a Service over the database at CHAT_CATALOG_URL (the national catalog,
// titles only), or nil when it is not set.
func catalogService(t *testing.T) *Service {
	u := os.Getenv("CHAT_CATALOG_URL")
	if u == "" {
		return nil
	}
	db, err := postgres.Open(context.Background(), u, postgres.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	lex, err := retrieval.ParseLexicon(corpus.Lexicon)
	if err != nil {
		t.Fatal(err)
	}
	s := retrieval.NewSearcher(db, ingesttest.Embedder(t), lex, quietLogger())
	return New(Config{Searcher: s, DB: db, Logger: quietLogger()})
}

// TestCalibrateCatalog routes the development questions and the catalog questions with a few
// settings of the scope thresholds. It runs with CHAT_CALIBRATE=1 and CHAT_CATALOG_URL set.
func TestCalibrateCatalog(t *testing.T) {
	cat := catalogService(t)
	if cat == nil || os.Getenv("CHAT_CALIBRATE") == "" {
		t.Skip("set CHAT_CALIBRATE=1 and CHAT_CATALOG_URL")
	}
	dev := corpusService(t, nil)
	devCases := calibrationCases(t, dev)
	var catCases []calibrationCase
	for _, q := range loadQuestionFile(t, "../corpus/eval/catalog_questions.jsonl") {
		c, err := cat.candidates(context.Background(), q.Question, "")
		if err != nil {
			t.Fatal(err)
		}
		catCases = append(catCases, calibrationCase{q, c, DetectIntents(q.Question)})
	}
	regulations := regulationIDs(t)
	for _, mp := range []int{0, 2} {
		for _, ur := range []float64{0.97, 0.95, 0.93, 0.9, 0.85} {
			for _, mc := range []float64{0.5} {
				tun := DefaultTuning()
				tun.MinPairs, tun.UnsureRatio, tun.MinCover = mp, ur, mc
				d := calibrate(dev, tun, devCases, regulations)
				c := calibrate(cat, tun, catCases, regulations)
				fmt.Printf("minPairs %d unsure %.2f minCover %.1f: dev status %d/%d proc %d/%d extra %d/%d needless %d | catalog status %d/%d proc %d/%d\n",
					mp, ur, mc, d.status, d.n, d.proc, d.procN, d.extraOK, d.extraN, d.wrongClarify, c.status, c.n, c.proc, c.procN)
			}
		}
	}
}
