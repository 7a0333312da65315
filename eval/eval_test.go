package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/eval"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

// floors are the minimum figures on the development set (floors.json).
type floors struct {
	Retrieval map[string]eval.RetrievalScores `json:"retrieval"`
	Chat      *eval.ChatScores                `json:"chat"`
}

func TestQuestionSetShape(t *testing.T) {
	qs, err := eval.ReadQuestions(bytes.NewReader(corpus.Questions))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 200 {
		t.Errorf("%d questions, want at least 200", len(qs))
	}
	valid := map[string]bool{}
	for _, i := range strings.Fields("documents fees deadline steps where online conditions legal_basis forms result overview out_of_scope injection") {
		valid[i] = true
	}
	refusals := 0
	for _, q := range qs {
		for _, in := range q.Intents() {
			if !valid[in] {
				t.Errorf("line %d: unknown intent %q", q.Line, in)
			}
		}
		if m := q.MainIntent(); m == "out_of_scope" || m == "injection" {
			refusals++
			if len(q.Procedure) != 0 {
				t.Errorf("line %d: a refusal names a procedure", q.Line)
			}
		}
	}
	if refusals < 20 {
		t.Errorf("%d out-of-scope or manipulation questions, want at least 20", refusals)
	}
}

func TestIDsUnmarshal(t *testing.T) {
	tests := map[string]int{`"a"`: 1, `["a","b"]`: 2, `null`: 0}
	for in, n := range tests {
		var ids eval.IDs
		if err := json.Unmarshal([]byte(in), &ids); err != nil || len(ids) != n {
			t.Errorf("%s: %v, %v", in, ids, err)
		}
	}
	var ids eval.IDs
	if err := json.Unmarshal([]byte(`3`), &ids); err == nil {
		t.Error("a number: want an error")
	}
}

// TestDevelopmentSetFloors runs the evaluation on the bundled corpus and fails when a figure
// drops below its floor.
func TestDevelopmentSetFloors(t *testing.T) {
	var fl floors
	b, err := os.ReadFile("floors.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fl); err != nil {
		t.Fatal(err)
	}
	qs, err := eval.ReadQuestions(bytes.NewReader(corpus.Questions))
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.MustOpen(t)
	s := ingesttest.MustIngestCorpus(t, db)
	opts := eval.Options{}
	if fl.Chat != nil {
		opts.Chat = chat.New(chat.Config{Searcher: s, DB: db})
	}
	for m := range fl.Retrieval {
		opts.Modes = append(opts.Modes, m)
	}
	rep, err := eval.Run(context.Background(), s, qs, opts)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Print(&out)
	t.Log("\n" + out.String())
	check := func(name string, got, floor float64) {
		if got < floor {
			t.Errorf("%s = %.3f, below its floor %.3f", name, got, floor)
		}
	}
	if f := fl.Chat; f != nil {
		g := rep.Chat
		check("chat intent accuracy", g.IntentAccuracy, f.IntentAccuracy)
		check("chat status accuracy", g.StatusAccuracy, f.StatusAccuracy)
		check("chat procedure hit", g.ProcedureHit, f.ProcedureHit)
		check("chat citation rate", g.CitationRate, f.CitationRate)
		check("fee/deadline answers with every number in a cited quote", g.NumbersGrounded, f.NumbersGrounded)
		// What a citizen sees: short, few citations, plain words, no ended rule shown as current.
		sh := g.Shape
		if sh.Mechanics > 0 || sh.ExpiredAsLive > 0 {
			t.Errorf("%d source-mechanics phrases and %d ended rules shown as current reach citizens: %q", sh.Mechanics, sh.ExpiredAsLive,
				append(sh.MechanicsLines, sh.ExpiredLines...))
		}
		if sh.LengthMedian >= 900 || sh.LengthP95 >= 2000 || sh.CitationsP95 > 8 {
			t.Errorf("citizen answers run %d characters at the median and %d at p95 (want < 900, < 2000), with %d citations at p95 (want ≤ 8)",
				sh.LengthMedian, sh.LengthP95, sh.CitationsP95)
		}
	}
	for m, f := range fl.Retrieval {
		g := rep.Retrieval[m]
		check(m+" hit@1", g.Hit1, f.Hit1)
		check(m+" hit@3", g.Hit3, f.Hit3)
		check(m+" hit@5", g.Hit5, f.Hit5)
		check(m+" MRR", g.MRR, f.MRR)
	}
}
