package chat

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/prompts"
)

// evalQuestion is one line of corpus/eval/questions.jsonl.
type evalQuestion struct {
	Question   string
	Procedures []string // expected documents, any of them counts; none for out_of_scope and injection
	Intents    []string // expected intents, main first
	extra      bool     // from chat/testdata, not the development set
}

// ambiguous reports whether a question may mean several procedures (regulations aside): a
// clarification is the right answer to it.
func (q evalQuestion) ambiguous(regulations map[string]bool) bool {
	n := 0
	for _, p := range q.Procedures {
		if !regulations[p] {
			n++
		}
	}
	return n >= 2
}

func loadQuestions(t testing.TB) []evalQuestion {
	t.Helper()
	return parseQuestions(t, corpus.Questions)
}

func loadQuestionFile(t testing.TB, path string) []evalQuestion {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseQuestions(t, b)
}

func parseQuestions(t testing.TB, data []byte) []evalQuestion {
	t.Helper()
	var out []evalQuestion
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var raw struct {
			Question  string          `json:"question"`
			Procedure json.RawMessage `json:"procedure"`
			Intent    string          `json:"intent"`
		}
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("questions.jsonl: %v", err)
		}
		q := evalQuestion{Question: raw.Question, Intents: strings.Split(raw.Intent, "+")}
		var one string
		if json.Unmarshal(raw.Procedure, &one) == nil && one != "" {
			q.Procedures = []string{one}
		} else {
			json.Unmarshal(raw.Procedure, &q.Procedures)
		}
		out = append(out, q)
	}
	return out
}

// wantStatus is the status a question of the set should get: out_of_scope → no_answer,
// injection → declined, others → answered or clarify (reported as "answered").
func (q evalQuestion) wantStatus() string {
	switch q.Intents[0] {
	case "out_of_scope":
		return StatusNoAnswer
	case "injection":
		return StatusDeclined
	}
	return StatusAnswered
}

// evalResult measures the service on the question set.
type evalResult struct {
	n, statusOK          int
	procN, procOK        int // in-scope questions; answered with an expected document or offering one
	clarified            int
	intentN, intentOK    int // in-scope questions whose main intent was detected
	intentMainOK         int // … detected as the main intent
	misses, intentMisses []string
	clarifies            []string
}

func (r evalResult) String() string {
	pct := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return 100 * float64(a) / float64(b)
	}
	return fmt.Sprintf("status %d/%d (%.1f%%), procedure %d/%d (%.1f%%, %d clarified), main intent detected %d/%d (%.1f%%), as main %d/%d (%.1f%%)",
		r.statusOK, r.n, pct(r.statusOK, r.n), r.procOK, r.procN, pct(r.procOK, r.procN), r.clarified,
		r.intentOK, r.intentN, pct(r.intentOK, r.intentN), r.intentMainOK, r.intentN, pct(r.intentMainOK, r.intentN))
}

func runEval(t testing.TB, svc *Service, qs []evalQuestion) evalResult {
	t.Helper()
	system, err := prompts.System()
	if err != nil {
		t.Fatal(err)
	}
	var r evalResult
	for _, q := range qs {
		resp, err := svc.Answer(context.Background(), Request{Message: q.Question}, nil)
		if err != nil {
			t.Fatalf("%q: %v", q.Question, err)
		}
		if w := leakedLine(resp.Answer, system); w != "" {
			t.Errorf("%q: the answer repeats the system prompt: %q", q.Question, w)
		}
		r.n++
		got := resp.Status
		if got == StatusClarify {
			got = StatusAnswered
		}
		if got == q.wantStatus() {
			r.statusOK++
		}
		if q.wantStatus() != StatusAnswered {
			if got != q.wantStatus() {
				r.misses = append(r.misses, fmt.Sprintf("status %s, want %s: %s", resp.Status, q.wantStatus(), q.Question))
			}
			continue
		}
		r.procN++
		ok := false
		switch resp.Status {
		case StatusAnswered:
			ok = contains(q.Procedures, resp.Procedure.ID)
		case StatusClarify:
			r.clarified++
			r.clarifies = append(r.clarifies, fmt.Sprintf("%s want %v: %s", describe(resp), q.Procedures, q.Question))
			for _, c := range resp.Candidates {
				ok = ok || contains(q.Procedures, c.ID)
			}
		}
		if ok {
			r.procOK++
		} else {
			r.misses = append(r.misses, fmt.Sprintf("%s %s want %v: %s", resp.Status, describe(resp), q.Procedures, q.Question))
		}
		r.intentN++
		if contains(resp.Intents, q.Intents[0]) {
			r.intentOK++
		} else {
			r.intentMisses = append(r.intentMisses, fmt.Sprintf("%v want %v: %s", resp.Intents, q.Intents, q.Question))
		}
		if len(resp.Intents) > 0 && resp.Intents[0] == q.Intents[0] {
			r.intentMainOK++
		}
	}
	return r
}

func describe(resp *Response) string {
	if resp.Procedure != nil {
		return resp.Procedure.ID
	}
	var ids []string
	for _, c := range resp.Candidates {
		ids = append(ids, c.ID)
	}
	return fmt.Sprint(ids)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestEvalQuestionSet measures status, procedure and intent accuracy on the development
// question set and holds them above floors a little under the measured values, so that a
// change that makes answers worse fails here. Run with -v to see the misses.
func TestEvalQuestionSet(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the database")
	}
	svc := corpusService(t, nil)
	r := runEval(t, svc, loadQuestions(t))
	t.Log(r)
	x := runEval(t, svc, loadQuestionFile(t, "testdata/extra_questions.jsonl"))
	t.Log("extra questions: ", x)
	for _, m := range x.misses {
		t.Log("extra miss:", m)
	}
	for _, m := range r.misses {
		t.Log("miss:", m)
	}
	for _, m := range r.clarifies {
		t.Log("clarify:", m)
	}
	for _, m := range r.intentMisses {
		t.Log("intent miss:", m)
	}
	floors := []struct {
		name      string
		got, want float64
	}{
		// Lowered from 0.95 when the resolver replaced the hand thresholds tuned on this set: it
		// answers "no source" more often here (0.880 measured) and wrongly less (see the README).
		{"status accuracy", ratio(r.statusOK, r.n), 0.87},
		{"procedure accuracy", ratio(r.procOK, r.procN), 0.85},
		{"main intent detected", ratio(r.intentOK, r.intentN), 0.80},
	}
	for _, f := range floors {
		if f.got < f.want {
			t.Errorf("%s %.3f < floor %.2f", f.name, f.got, f.want)
		}
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
