// Package eval measures how well the service answers a question set: retrieval hit@k and MRR on
// procedure ids, and — through the chat service — intent accuracy, answer status accuracy,
// citation rate and whether every number of a fee or deadline answer stands in a cited quote.
package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/retrieval"
)

// Question is one line of a question set.
type Question struct {
	Question string `json:"question"`
	// Procedure lists every accepted answer: document ids or official codes (a catalog
	// record's id is its code; a bundled sheet is matched by its code too).
	Procedure IDs    `json:"procedure"`
	Intent    string `json:"intent"`
	// Topic names the uncovered sector (kb topics) of a question the sources cannot answer; the
	// right answer is an honest "no source".
	Topic string `json:"topic,omitempty"`
	Line  int    `json:"-"`
}

// IDs is a procedure id, a list of ids (any of them counts), or null.
type IDs []string

// UnmarshalJSON accepts "id", ["id", ...] or null.
func (ids *IDs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*ids = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*ids = IDs{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("procedure: want an id, a list of ids or null: %w", err)
	}
	*ids = list
	return nil
}

// Intents returns the question's intents ("fees+deadline" → fees, deadline).
func (q Question) Intents() []string { return strings.Split(q.Intent, "+") }

// MainIntent is the first intent.
func (q Question) MainIntent() string { return q.Intents()[0] }

// Expected answer statuses by intent.
func (q Question) wantStatus() []string {
	if q.Topic != "" {
		return []string{chat.StatusNoAnswer}
	}
	switch q.MainIntent() {
	case "out_of_scope":
		return []string{chat.StatusNoAnswer}
	case "injection":
		return []string{chat.StatusDeclined}
	}
	// Asking back which procedure is meant is a fair answer to any question.
	return []string{chat.StatusAnswered, chat.StatusClarify}
}

// ReadQuestions parses a question set (JSON lines).
func ReadQuestions(r io.Reader) ([]Question, error) {
	var qs []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		var q Question
		if err := json.Unmarshal([]byte(s), &q); err != nil {
			return nil, fmt.Errorf("questions line %d: %w", line, err)
		}
		if strings.TrimSpace(q.Question) == "" || q.Intent == "" {
			return nil, fmt.Errorf("questions line %d: question and intent are required", line)
		}
		q.Line = line
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

// RetrievalScores are hit rates and MRR on procedure ids over the questions that name one.
type RetrievalScores struct {
	N     int     `json:"n"`
	Hit1  float64 `json:"hit_at_1"`
	Hit3  float64 `json:"hit_at_3"`
	Hit5  float64 `json:"hit_at_5"`
	Hit10 float64 `json:"hit_at_10"`
	MRR   float64 `json:"mrr"` // over the first 10 results
}

// Miss is a question whose expected procedure was not first.
type Miss struct {
	Line     int      `json:"line"`
	Question string   `json:"question"`
	Want     []string `json:"want"`
	Got      []string `json:"got"`
	Rank     int      `json:"rank"` // 0 when not in the top 5
	Detail   string   `json:"detail,omitempty"`
}

// ChatScores measure answers.
type ChatScores struct {
	N               int            `json:"n"`
	IntentAccuracy  float64        `json:"intent_accuracy"` // main intent among the detected intents
	StatusAccuracy  float64        `json:"status_accuracy"`
	ProcedureHit    float64        `json:"procedure_hit"`    // answered about, or offered as a candidate, an expected procedure
	CitationRate    float64        `json:"citation_rate"`    // answered answers with at least one citation
	NumbersGrounded float64        `json:"numbers_grounded"` // fee/deadline answers whose numbers all stand in cited quotes
	FeeDeadlineN    int            `json:"fee_deadline_n"`
	Statuses        map[string]int `json:"statuses"`
	// Decisions: of the questions about a procedure, the share answered with a right one plus
	// half the share clarified with a right one among the offered (Right); of all
	// questions, the share answered with a wrong procedure (Wrong); of the questions about an
	// uncovered topic, the share answered "no source" (NoneRecall), and of the "no source"
	// answers, the share that were about one (NonePrecision).
	Right         float64 `json:"right"`
	Wrong         float64 `json:"wrong"`
	NoneRecall    float64 `json:"none_recall"`
	NonePrecision float64 `json:"none_precision"`
	// Shape of the answered answers, as the citizen sees them first.
	Shape AnswerShape `json:"shape"`
}

// AnswerShape measures answered answers: their length in characters and citations (median
// and 95th percentile), the source-mechanics phrases in them (plain.Mechanics), and the
// rules "đến hết <date>" whose date has passed presented without saying they ended.
type AnswerShape struct {
	N               int `json:"n"`
	LengthMedian    int `json:"length_median"`
	LengthP95       int `json:"length_p95"`
	CitationsMedian int `json:"citations_median"`
	CitationsP95    int `json:"citations_p95"`
	// Lines: the answer's non-empty lines, its title and source line left out.
	LinesMedian   int `json:"lines_median"`
	LinesP95      int `json:"lines_p95"`
	Mechanics     int `json:"mechanics"`
	ExpiredAsLive int `json:"expired_as_current"`
	// Examples: up to 5 offending lines of each kind.
	MechanicsLines []string `json:"mechanics_lines,omitempty"`
	ExpiredLines   []string `json:"expired_lines,omitempty"`
}

// Report is the result of a run.
type Report struct {
	Questions  int                        `json:"questions"`
	Retrieval  map[string]RetrievalScores `json:"retrieval"` // by mode: hybrid, text, vector
	ByIntent   map[string]RetrievalScores `json:"by_intent"` // hybrid, by main intent
	Chat       *ChatScores                `json:"chat,omitempty"`
	Misses     []Miss                     `json:"misses"`
	ChatMisses []Miss                     `json:"chat_misses,omitempty"`
}

// Options of a run.
type Options struct {
	Modes []string // retrieval modes to score (default hybrid only)
	Chat  *chat.Service
	// Today is the date rules are judged current against (default: the clock's).
	Today time.Time
}

// Run scores the searcher (and the chat service, when given) on qs.
func Run(ctx context.Context, s *retrieval.Searcher, qs []Question, opts Options) (*Report, error) {
	if len(opts.Modes) == 0 {
		opts.Modes = []string{retrieval.ModeHybrid}
	}
	rep := &Report{Questions: len(qs), Retrieval: map[string]RetrievalScores{}, ByIntent: map[string]RetrievalScores{}}
	for _, mode := range opts.Modes {
		scores, byIntent, misses, err := scoreRetrieval(ctx, s, qs, mode)
		if err != nil {
			return nil, err
		}
		rep.Retrieval[mode] = scores
		if mode == retrieval.ModeHybrid || len(opts.Modes) == 1 {
			rep.ByIntent, rep.Misses = byIntent, misses
		}
	}
	if opts.Chat != nil {
		cs, misses, err := scoreChat(ctx, opts.Chat, qs, opts.today())
		if err != nil {
			return nil, err
		}
		rep.Chat, rep.ChatMisses = cs, misses
	}
	return rep, nil
}

type tally struct {
	n, h1, h3, h5, h10 int
	rr                 float64
}

func (t *tally) add(rank int) {
	t.n++
	if rank == 1 {
		t.h1++
	}
	if rank >= 1 && rank <= 3 {
		t.h3++
	}
	if rank >= 1 && rank <= 5 {
		t.h5++
	}
	if rank >= 1 && rank <= 10 {
		t.h10++
	}
	if rank > 0 {
		t.rr += 1 / float64(rank)
	}
}

func (t tally) scores() RetrievalScores {
	if t.n == 0 {
		return RetrievalScores{}
	}
	n := float64(t.n)
	return RetrievalScores{N: t.n, Hit1: float64(t.h1) / n, Hit3: float64(t.h3) / n, Hit5: float64(t.h5) / n, Hit10: float64(t.h10) / n, MRR: t.rr / n}
}

func scoreRetrieval(ctx context.Context, s *retrieval.Searcher, qs []Question, mode string) (RetrievalScores, map[string]RetrievalScores, []Miss, error) {
	var all tally
	by := map[string]*tally{}
	var misses []Miss
	for _, q := range qs {
		if len(q.Procedure) == 0 {
			continue
		}
		resp, err := s.Search(ctx, retrieval.Query{Text: q.Question, K: 10, Mode: mode})
		if err != nil {
			return RetrievalScores{}, nil, nil, fmt.Errorf("question line %d: %w", q.Line, err)
		}
		var got []string
		rank := 0
		for i, r := range resp.Results {
			got = append(got, r.DocumentID)
			if rank == 0 && (contains(q.Procedure, r.DocumentID) || contains(q.Procedure, r.Code)) {
				rank = i + 1
			}
		}
		all.add(rank)
		t := by[q.MainIntent()]
		if t == nil {
			t = &tally{}
			by[q.MainIntent()] = t
		}
		t.add(rank)
		if rank != 1 {
			misses = append(misses, Miss{Line: q.Line, Question: q.Question, Want: q.Procedure, Got: got, Rank: rank})
		}
	}
	out := map[string]RetrievalScores{}
	for k, t := range by {
		out[k] = t.scores()
	}
	return all.scores(), out, misses, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// numberPattern finds the numbers an answer must back with a quote: amounts (200.000), counts
// and days (15), form codes (CT01, TK01) and document numbers (49/2019/QH14).
var numberPattern = regexp.MustCompile(`[\p{L}]*\d[\d.,/]*[\p{L}\d\-]*`)

// markerPattern is a citation marker such as [3].
var markerPattern = regexp.MustCompile(`\[\d+\]`)

// ungroundedNumbers returns the numbers in answer text (citation markers excluded) that appear in
// no quote.
func ungroundedNumbers(answer string, quotes []string) []string {
	text := markerPattern.ReplaceAllString(answer, " ")
	var out []string
	for _, n := range numberPattern.FindAllString(text, -1) {
		n = strings.TrimRight(n, ".,")
		if n == "" {
			continue
		}
		found := false
		for _, q := range quotes {
			if strings.Contains(q, n) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, n)
		}
	}
	return out
}

func scoreChat(ctx context.Context, svc *chat.Service, qs []Question, today time.Time) (*ChatScores, []Miss, error) {
	cs := &ChatScores{Statuses: map[string]int{}}
	var shape shapeTally
	var intentOK, statusOK, procOK, procN, answered, cited, fdOK int
	var rightHalves, wrong, uncovered, honest, nones int
	var misses []Miss
	for _, q := range qs {
		resp, err := svc.Answer(ctx, chat.Request{Message: q.Question}, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("question line %d: %w", q.Line, err)
		}
		cs.N++
		cs.Statuses[resp.Status]++
		if contains(resp.Intents, q.MainIntent()) || (q.MainIntent() == "out_of_scope" || q.MainIntent() == "injection") {
			intentOK++
		}
		okStatus := contains(q.wantStatus(), resp.Status)
		if okStatus {
			statusOK++
		}
		var detail string
		answeredRight := resp.Status == chat.StatusAnswered && resp.Procedure != nil &&
			(contains(q.Procedure, resp.Procedure.ID) || contains(q.Procedure, resp.Procedure.Code))
		switch {
		case answeredRight:
			rightHalves += 2
		case resp.Status == chat.StatusAnswered && resp.Procedure != nil:
			wrong++
		case resp.Status == chat.StatusClarify:
			for _, c := range resp.Candidates {
				if contains(q.Procedure, c.ID) {
					rightHalves++
					break
				}
			}
		}
		if q.Topic != "" {
			uncovered++
		}
		if resp.Status == chat.StatusNoAnswer {
			nones++
			if q.Topic != "" {
				honest++
			}
		}
		if len(q.Procedure) > 0 {
			procN++
			hit := resp.Procedure != nil && (contains(q.Procedure, resp.Procedure.ID) || contains(q.Procedure, resp.Procedure.Code))
			for _, c := range resp.Candidates {
				hit = hit || contains(q.Procedure, c.ID)
			}
			if hit {
				procOK++
			} else {
				detail = "wrong procedure"
			}
		}
		if resp.Status == chat.StatusAnswered {
			shape.add(resp, today)
			answered++
			if len(resp.Citations) > 0 {
				cited++
			}
			if in := q.MainIntent(); in == "fees" || in == "deadline" {
				cs.FeeDeadlineN++
				// Numbers may come from a quote or from the cited document's own fields: its
				// title, code, official link, its as-of date (written dd/mm/yyyy in answers) and the number of
				// the cited article; or from the code and link of the procedure's documents at
				// other levels, which the answer names.
				var quotes []string
				for _, c := range resp.Citations {
					quotes = append(quotes, c.Quote, c.Title, c.Code, c.SourceURL, c.AsOf, vnDate(c.AsOf), c.Article)
				}
				for _, o := range resp.OtherLevels {
					quotes = append(quotes, o.Code, o.SourceURL)
				}
				if bad := ungroundedNumbers(resp.Answer, quotes); len(bad) == 0 {
					fdOK++
				} else {
					detail = "numbers not in quotes: " + strings.Join(bad, ", ")
				}
			}
		}
		if !okStatus || detail != "" {
			got := []string{resp.Status}
			if resp.Procedure != nil {
				got = append(got, resp.Procedure.ID)
			}
			if !okStatus {
				detail = strings.TrimSpace("status " + resp.Status + "; " + detail)
			}
			misses = append(misses, Miss{Line: q.Line, Question: q.Question, Want: q.Procedure, Got: got, Detail: detail})
		}
	}
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	cs.IntentAccuracy = ratio(intentOK, cs.N)
	cs.StatusAccuracy = ratio(statusOK, cs.N)
	cs.ProcedureHit = ratio(procOK, procN)
	cs.CitationRate = ratio(cited, answered)
	cs.NumbersGrounded = ratio(fdOK, cs.FeeDeadlineN)
	cs.Right = ratio(rightHalves, 2*procN)
	cs.Wrong = ratio(wrong, cs.N)
	cs.NoneRecall = ratio(honest, uncovered)
	cs.NonePrecision = ratio(honest, nones)
	cs.Shape = shape.shape()
	return cs, misses, nil
}

// vnDate writes a YYYY-MM-DD date as dd/mm/yyyy; other text is returned as it is.
func vnDate(d string) string {
	if len(d) == 10 && d[4] == '-' && d[7] == '-' {
		return d[8:10] + "/" + d[5:7] + "/" + d[0:4]
	}
	return d
}

func sortedKeys(m map[string]RetrievalScores) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Print writes the report as tables.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "questions: %d\n\nretrieval (procedure ids)\n", r.Questions)
	fmt.Fprintf(w, "  %-8s %5s %7s %7s %7s %7s %7s\n", "mode", "n", "hit@1", "hit@3", "hit@5", "hit@10", "MRR")
	for _, m := range sortedKeys(r.Retrieval) {
		s := r.Retrieval[m]
		fmt.Fprintf(w, "  %-8s %5d %7.3f %7.3f %7.3f %7.3f %7.3f\n", m, s.N, s.Hit1, s.Hit3, s.Hit5, s.Hit10, s.MRR)
	}
	fmt.Fprintf(w, "\nby intent (hybrid)\n  %-12s %5s %7s %7s %7s\n", "intent", "n", "hit@1", "hit@5", "MRR")
	for _, k := range sortedKeys(r.ByIntent) {
		s := r.ByIntent[k]
		fmt.Fprintf(w, "  %-12s %5d %7.3f %7.3f %7.3f\n", k, s.N, s.Hit1, s.Hit5, s.MRR)
	}
	if c := r.Chat; c != nil {
		fmt.Fprintf(w, "\nchat (%d questions)\n", c.N)
		fmt.Fprintf(w, "  intent accuracy      %.3f\n  status accuracy      %.3f\n  procedure hit        %.3f\n  citation rate        %.3f\n  numbers in quotes    %.3f (%d fee/deadline answers)\n  statuses             %v\n",
			c.IntentAccuracy, c.StatusAccuracy, c.ProcedureHit, c.CitationRate, c.NumbersGrounded, c.FeeDeadlineN, c.Statuses)
		sh := c.Shape
		fmt.Fprintf(w, "  answer lines         median %d, p95 %d\n", sh.LinesMedian, sh.LinesP95)
		fmt.Fprintf(w, "  answer length        median %d, p95 %d characters (%d answered)\n  citations            median %d, p95 %d per answer\n  source mechanics     %d phrases\n  expired as current   %d rules\n",
			sh.LengthMedian, sh.LengthP95, sh.N, sh.CitationsMedian, sh.CitationsP95, sh.Mechanics, sh.ExpiredAsLive)
		for _, l := range append(append([]string(nil), sh.MechanicsLines...), sh.ExpiredLines...) {
			fmt.Fprintf(w, "    %s\n", l)
		}
		fmt.Fprintf(w, "  right procedure      %.3f (answered, clarified with it counting half)\n  answered wrongly     %.3f\n  no source: recall    %.3f, precision %.3f (questions on uncovered topics)\n",
			c.Right, c.Wrong, c.NoneRecall, c.NonePrecision)
	}
	if len(r.Misses) > 0 {
		fmt.Fprintf(w, "\nretrieval misses (%d)\n", len(r.Misses))
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  line %d rank %d want %v got %v: %s\n", m.Line, m.Rank, m.Want, head(m.Got, 3), m.Question)
		}
	}
	if len(r.ChatMisses) > 0 {
		fmt.Fprintf(w, "\nchat misses (%d)\n", len(r.ChatMisses))
		for _, m := range r.ChatMisses {
			fmt.Fprintf(w, "  line %d want %v got %v (%s): %s\n", m.Line, m.Want, m.Got, m.Detail, m.Question)
		}
	}
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
