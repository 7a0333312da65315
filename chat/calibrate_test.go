package chat

import (
	"context"
	"fmt"
	"github.com/thutuc/thutuc/resolve"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// regulationIDs are the ids of the bundled regulations.
func regulationIDs(t testing.TB) map[string]bool {
	files, err := filepath.Glob("../corpus/regulations/*.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range files {
		out[strings.TrimSuffix(filepath.Base(f), ".md")] = true
	}
	return out
}

// calibrationCase is a question of the calibration with its candidates, searched once.
type calibrationCase struct {
	q       evalQuestion
	cands   []candidate
	intents []string
}

// calibrationRow is the outcome of one setting.
type calibrationRow struct {
	tun                     Tuning
	status, proc, clarified int
	n, procN                int
	wrongClarify, ambiguous int // clarifications of unambiguous questions; ambiguous ones clarified
	extraOK, extraN         int
}

// objective rewards status and procedure accuracy and clarifying ambiguous questions, and
// costs clarifying unambiguous ones.
func (r calibrationRow) objective() float64 {
	return float64(r.status)/float64(r.n) + float64(r.proc)/float64(r.procN) - 2*float64(r.wrongClarify)/float64(r.procN) +
		0.5*float64(r.ambiguous)/float64(r.procN) + float64(r.extraOK)/float64(r.extraN)
}

// TestCalibrate searches the thresholds of procedure choice on the question set and the
// extra questions of testdata. It only runs with CHAT_CALIBRATE=1 and prints the best
// settings; DefaultTuning holds the chosen ones.
func TestCalibrate(t *testing.T) {
	if os.Getenv("CHAT_CALIBRATE") == "" {
		t.Skip("set CHAT_CALIBRATE=1")
	}
	svc := corpusService(t, nil)
	cases := calibrationCases(t, svc)
	regulations := regulationIDs(t)
	var rows []calibrationRow
	for _, nw := range []float64{0.3, 0.5, 1} {
		for _, cr := range []float64{0.9, 0.95, 0.97, 0.98} {
			for _, sub := range []float64{0.3, 0.5} {
				for _, pw := range []float64{0.001, 0.2} {
					for _, mn := range []float64{0.4, 0.5, 0.6} {
						for _, mc := range []float64{0.3, 0.4, 0.5} {
							for _, ps := range []float64{0.001, 0.2, 0.3, 0.4} {
								tun := DefaultTuning()
								tun.NameWeight, tun.ClarifyRatio, tun.Subsumed, tun.PairWeight, tun.MinNamed, tun.MinCover, tun.MinPairShare = nw, cr, sub, pw, mn, mc, ps
								rows = append(rows, calibrate(svc, tun, cases, regulations))
							}
						}
					}
				}
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].objective() > rows[j].objective() })
	for _, r := range rows[:15] {
		fmt.Printf("pairShare %.1f pair %.1f name %.1f clarify %.2f subsumed %.1f minNamed %.1f minCover %.1f: status %d/%d procedure %d/%d clarified %d (ambiguous %d, needless %d) extra %d/%d obj %.3f\n",
			r.tun.MinPairShare, r.tun.PairWeight, r.tun.NameWeight, r.tun.ClarifyRatio, r.tun.Subsumed, r.tun.MinNamed, r.tun.MinCover, r.status, r.n,
			r.proc, r.procN, r.clarified, r.ambiguous, r.wrongClarify, r.extraOK, r.extraN, r.objective())
	}
}

func calibrationCases(t *testing.T, svc *Service) []calibrationCase {
	var out []calibrationCase
	dev := loadQuestions(t)
	extra := loadQuestionFile(t, "testdata/extra_questions.jsonl")
	for i := range extra {
		extra[i].extra = true
	}
	for _, q := range append(dev, extra...) {
		if declineReason(q.Question) != "" {
			continue
		}
		c, err := svc.candidates(context.Background(), q.Question, "")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, calibrationCase{q, c, DetectIntents(q.Question)})
	}
	return out
}

// calibrate routes every case with tun, as decide does for a message without conversation.
func calibrate(svc *Service, tun Tuning, cases []calibrationCase, regulations map[string]bool) calibrationRow {
	svc.tuning = tun
	r := calibrationRow{tun: tun}
	for _, c := range cases {
		cands := append([]candidate(nil), c.cands...)
		svc.rank(cands)
		d := svc.route(c.q.Question, c.intents, cands)
		want, got := c.q.wantStatus(), d.status
		if got == StatusClarify {
			got = StatusAnswered
		}
		found := d.status == StatusAnswered && contains(c.q.Procedures, d.docID)
		for _, cand := range d.candidates {
			found = found || contains(c.q.Procedures, cand.res.DocumentID)
		}
		if c.q.extra {
			r.extraN++
			if got == want && (want != StatusAnswered || found) {
				r.extraOK++
			}
			continue
		}
		r.n++
		if got == want {
			r.status++
		}
		if want != StatusAnswered {
			continue
		}
		r.procN++
		if found {
			r.proc++
		}
		if d.status == StatusClarify {
			r.clarified++
			if c.q.ambiguous(regulations) {
				r.ambiguous++
			} else {
				r.wrongClarify++
			}
		}
	}
	return r
}

// TestDebugCandidates prints the candidates of the questions in CHAT_DEBUG_Q (separated by |).
func TestDebugCandidates(t *testing.T) {
	qs := os.Getenv("CHAT_DEBUG_Q")
	if qs == "" {
		t.Skip("set CHAT_DEBUG_Q")
	}
	svc := corpusService(t, nil)
	for _, q := range strings.Split(qs, "|") {
		cands, err := svc.candidates(context.Background(), q, "")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s  intents=%v off=%v\n", q, DetectIntents(q), resolve.OffTopic(q))
		for _, c := range cands {
			fmt.Printf("   %v\n", c.name.Aliases)
			fmt.Printf("   %-45s norm %.2f named %.2f eff %.2f cover %.2f pairs %d score %.3f\n", c.res.DocumentID, c.norm, c.named, c.eff, c.cover, c.pairs, c.score)
		}
	}
}

// TestShowAnswers prints the answers to the questions in CHAT_SHOW (separated by |), in one
// conversation, for the audience in CHAT_AUDIENCE.
func TestShowAnswers(t *testing.T) {
	qs := os.Getenv("CHAT_SHOW")
	if qs == "" {
		t.Skip("set CHAT_SHOW")
	}
	svc := corpusService(t, nil)
	conv := ""
	for _, q := range strings.Split(qs, "|") {
		resp, err := svc.Answer(context.Background(), Request{Message: q, ConversationID: conv, Audience: os.Getenv("CHAT_AUDIENCE")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		conv = resp.ConversationID
		fmt.Printf("=== %s\nstatus=%s intents=%v procedure=%v generator=%s\n%s\n", q, resp.Status, resp.Intents, describe(resp), resp.Generator, resp.Answer)
		for _, c := range resp.Citations {
			fmt.Printf("  [%d] %s/%s art=%q %q\n", c.N, c.DocumentID, c.Section, c.Article, c.Quote)
		}
		if os.Getenv("CHAT_HTML") != "" {
			fmt.Println(resp.AnswerHTML)
		}
	}
}
