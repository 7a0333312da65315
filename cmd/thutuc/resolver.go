package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/eval"
	"github.com/thutuc/thutuc/resolve"
)

// cmdResolverTrain fits the resolver's model on the training split of the citizen questions
// (with conversation turns made from them), chooses its thresholds on the dev split and
// writes it. The store must hold what deployers load: the bundled corpus, the catalog and
// the laws, ingested with the default embedder.
func cmdResolverTrain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("resolver-train", flag.ContinueOnError)
	cfg := commonFlags(fs, getenv)
	dir := filepath.Join("corpus", "eval", "citizen")
	out := fs.String("out", filepath.Join("corpus", corpus.ResolverPath), "where to write the model ('' writes nothing)")
	maxWrong := fs.Float64("max-wrong", 0.05, "at most this share of dev questions answered with a wrong procedure")
	minNone := fs.Float64("min-none", 0.9, "at least this share of uncovered dev questions answered honestly")
	l2 := fs.Float64("l2", 0.001, "L2 penalty")
	steps := fs.Int("steps", 400, "gradient steps")
	hidden := fs.Int("hidden", 0, "hidden units of the candidate scorer (0: linear)")
	test := fs.Bool("test", false, "also report the test split (never used to choose anything)")
	small := fs.String("small-store", "", "a second store holding only the bundled corpus: its questions about other procedures teach the model to say none")
	smallNone := fs.Float64("small-none-weight", 1, "weight in the fit of the small store's messages no procedure of it is right for")
	chooseOn := fs.Int("choose-on", 0, "choose the thresholds on the dev examples of the first N stores only (0: all)")
	answerAt := fs.Float64("answer", 0, "with --fit=false: report at this answer threshold instead of the model's")
	confirms := fs.String("confirm", "0,0.3,0.35,0.4,0.45,0.5", "the thresholds tried for asking about a lone candidate (0: never)")
	fit := fs.Bool("fit", true, "fit a model; false reports the committed one on the chat sets and writes nothing")
	verbose := fs.Bool("v", false, "list the questions of the chat sets the resolver gets wrong")
	margins := fs.String("margins", "", "comma-separated candidate features whose margins over the best other candidate the model weighs too")
	without := fs.String("without", "", "comma-separated none or candidate features the model leaves out (their weights stay 0)")
	cache := fs.String("cache", "", "a file keeping the observed splits: read when it exists (the stores are not searched again), else written")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	stores := []*resolve.Resolver{{Searcher: a.searcher, DB: a.db, KB: a.kb}}
	if *small != "" {
		scfg := *cfg
		scfg.DatabaseURL = *small
		b, err := open(ctx, &scfg, stderr)
		if err != nil {
			return err
		}
		defer b.close()
		stores = append(stores, &resolve.Resolver{Searcher: b.searcher, DB: b.db, KB: b.kb})
	}
	var bounds map[string][]int // per split: where each store's examples end
	bounds = map[string][]int{}
	cached, err := readObserved(*cache)
	if err != nil {
		return err
	}
	observe := func(name string) ([]resolve.Labeled, []resolve.Example, []bool, error) {
		var all []resolve.Labeled
		var exs []resolve.Example
		var has []bool
		for _, r := range stores {
			ids, err := r.DB.DocumentIDs(ctx, "procedure")
			if err != nil {
				return nil, nil, nil, err
			}
			codes, err := r.DB.Codes(ctx)
			if err != nil {
				return nil, nil, nil, err
			}
			regs, err := r.DB.DocumentIDs(ctx, "regulation")
			if err != nil {
				return nil, nil, nil, err
			}
			msgs, err := labeledSplit(filepath.Join(dir, name+".jsonl"), []string{filepath.Join(dir, "resolver_"+name+".jsonl"), filepath.Join(dir, "laws_"+name+".jsonl")},
				filepath.Join(dir, "followups_"+name+".txt"), ids, name)
			if err != nil {
				return nil, nil, nil, err
			}
			start := time.Now()
			ex, err := r.Collect(ctx, msgs)
			if err != nil {
				return nil, nil, nil, err
			}
			for _, m := range msgs {
				in := false // the sources of this store hold a right procedure
				for _, c := range m.Accept {
					in = in || codes[c] || slices.Contains(ids, c) || slices.Contains(regs, c)
				}
				has = append(has, in)
			}
			fmt.Fprintf(stdout, "%s: %d messages observed over %d procedures in %s\n", name, len(msgs), len(ids), time.Since(start).Round(time.Millisecond))
			all, exs = append(all, msgs...), append(exs, ex...)
			bounds[name] = append(bounds[name], len(exs))
		}
		return all, exs, has, nil
	}
	left, err := leftOut(*without)
	if err != nil {
		return err
	}
	split := func(name string) ([]resolve.Labeled, []resolve.Example, []bool, error) {
		// The weights and the left-out features change examples in place: the cache keeps
		// its own copy of what was observed (every split is written again with each new
		// one), for fits with other options.
		if o, ok := cached[name]; ok {
			bounds[name] = o.Bounds
			return nil, left.apply(weighSmall(cloneExamples(o.Examples), o.Bounds, *smallNone)), o.Has, nil
		}
		msgs, exs, has, err := observe(name)
		if err != nil || *cache == "" {
			return msgs, left.apply(weighSmall(exs, bounds[name], *smallNone)), has, err
		}
		if cached == nil {
			cached = map[string]observed{}
		}
		cached[name] = observed{Examples: cloneExamples(exs), Has: has, Bounds: bounds[name]}
		if err := writeObserved(*cache, cached); err != nil {
			return nil, nil, nil, err
		}
		return msgs, left.apply(weighSmall(exs, bounds[name], *smallNone)), has, nil
	}
	fitModel := func() (*resolve.Model, error) {
		_, trainEx, _, err := split("train")
		if err != nil {
			return nil, err
		}
		var names []string
		for _, n := range strings.Split(*margins, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
		m, err := resolve.Fit(trainEx, resolve.FitOptions{Margins: names, L2: *l2, Steps: *steps, Hidden: *hidden, Seed: 1})
		if err != nil {
			return nil, err
		}
		_, devEx, devHas, err := split("dev")
		if err != nil {
			return nil, err
		}
		var groups [][]resolve.Example
		var groupHas [][]bool
		from := 0
		for i, to := range bounds["dev"] {
			if i < *chooseOn || *chooseOn == 0 {
				groups, groupHas = append(groups, devEx[from:to]), append(groupHas, devHas[from:to])
			}
			from = to
		}
		tried, err := floatList(*confirms)
		if err != nil {
			return nil, fmt.Errorf("--confirm: %w", err)
		}
		m.ChooseThresholds(groups, groupHas, *maxWrong, *minNone, tried)
		dev := m.Evaluate(devEx, devHas)
		fmt.Fprintf(stdout, "thresholds: answer %.3g, offer %.3g, clarify %.3g, confirm %.3g\ndev: %s\n", m.Answer, m.Offer, m.Clarify, m.Confirm, dev)
		perStore := func(name string, exs []resolve.Example, has []bool) {
			from := 0
			for i, to := range bounds[name] {
				fmt.Fprintf(stdout, "  %s, store %d: %s\n", name, i+1, m.Evaluate(exs[from:to], has[from:to]))
				from = to
			}
		}
		perStore("dev", devEx, devHas)
		m.Fit = map[string]any{"train_examples": len(trainEx), "dev_examples": len(devEx), "l2": *l2, "steps": *steps, "hidden": *hidden,
			"max_wrong": *maxWrong, "small_none_weight": *smallNone, "choose_on_stores": *chooseOn, "min_none": *minNone, "dev_right": dev.RightRate(), "dev_wrong": dev.WrongRate(),
			"dev_none_recall": dev.NoneRecall(), "dev_none_precision": dev.NonePrecision()}
		for i, name := range append(slices.Clone(resolve.CandidateFeatures), m.Margins...) {
			if i >= len(resolve.CandidateFeatures) {
				name += " margin"
			}
			fmt.Fprintf(stdout, "  w %-18s %+.3f\n", name, m.W[i])
		}
		for i, name := range resolve.NoneFeatures {
			fmt.Fprintf(stdout, "  v %-18s %+.3f\n", name, m.V[i])
		}
		if *test {
			_, testEx, testHas, err := split("test")
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(stdout, "test: %s\n", m.Evaluate(testEx, testHas))
			perStore("test", testEx, testHas)
		}
		return m, nil
	}
	var m *resolve.Model
	if *fit {
		if m, err = fitModel(); err != nil {
			return err
		}
	} else {
		data, err := corpus.Resolver()
		if err != nil {
			return err
		}
		if m, err = resolve.LoadModel(data); err != nil {
			return err
		}
		if *answerAt > 0 {
			m.Answer = *answerAt
		}
		*out = ""
	}
	// The question sets of the chat evaluation, without conversations: the bundled set over
	// the last store (the bundled corpus alone when a small store is given), the catalog set
	// over the first.
	for _, set := range []struct {
		path  string
		store *resolve.Resolver
	}{{filepath.Join("corpus", "eval", "questions.jsonl"), stores[len(stores)-1]}, {filepath.Join("corpus", "eval", "catalog_questions.jsonl"), stores[0]}} {
		o, misses, err := reportSet(ctx, m, set.store, set.path)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s\n", filepath.Base(set.path), o)
		if *verbose {
			for _, s := range misses {
				fmt.Fprintf(stdout, "  %s\n", s)
			}
		}
	}
	if *out == "" {
		return nil
	}
	data, err := m.JSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write resolver model: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}

// labeledSplit reads a split's questions about procedures and those of the optional files
// that exist (questions for the resolver only, which the embedder is not trained on; questions
// about laws), and adds conversation turns made with its follow-ups.
func labeledSplit(questions string, optional []string, followUps string, codes []string, seedName string) ([]resolve.Labeled, error) {
	var msgs []resolve.Labeled
	for i, path := range append([]string{questions}, optional...) {
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) && i > 0 {
			continue
		}
		if err != nil {
			return nil, err
		}
		qs, err := eval.ReadQuestions(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, q := range qs {
			msgs = append(msgs, resolve.Labeled{Text: q.Question, Accept: q.Procedure})
		}
	}
	fu, err := readLines(followUps)
	if err != nil {
		return nil, err
	}
	seed := uint64(0)
	for _, c := range seedName {
		seed = seed*31 + uint64(c)
	}
	return append(msgs, resolve.Conversations(msgs, fu, codes, seed)...), nil
}

// readLines returns the non-empty lines of a file that are not # comments.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" && !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

// reportSet decides the questions of one chat evaluation set with the model and returns the
// outcome, with a line for each question decided wrongly.
func reportSet(ctx context.Context, m *resolve.Model, r *resolve.Resolver, path string) (resolve.Outcome, []string, error) {
	var o resolve.Outcome
	data, err := os.ReadFile(path)
	if err != nil {
		return o, nil, err
	}
	qs, err := eval.ReadQuestions(bytes.NewReader(data))
	if err != nil {
		return o, nil, err
	}
	rr := *r
	rr.Model = m
	var misses []string
	for _, q := range qs {
		res, err := rr.Resolve(ctx, resolve.Query{Text: q.Question})
		if err != nil {
			return o, nil, err
		}
		o.N++
		has := len(q.Procedure) > 0
		if has {
			o.Procedure++
		} else {
			o.Uncovered++
		}
		var got []string
		for _, c := range res.Candidates[:min(len(res.Candidates), 3)] {
			got = append(got, fmt.Sprintf("%s %.2f", c.ID(), c.P))
		}
		line := fmt.Sprintf("%s → %s (none %.2f; %s) want %v", q.Question, res.Decision, res.None, strings.Join(got, ", "), q.Procedure)
		switch res.Decision {
		case resolve.Answer:
			if has && res.Candidates[0].Accepts(q.Procedure) {
				o.Answered++
			} else {
				o.Wrong++
				misses = append(misses, "WRONG "+line)
			}
		case resolve.Clarify:
			with := false
			for _, c := range res.Offered {
				with = with || has && c.Accepts(q.Procedure)
			}
			if with {
				o.ClarifiedWith++
			} else {
				misses = append(misses, "CLARIFY "+line)
			}
		case resolve.None:
			o.Nones++
			if !has {
				o.HonestNone++
			} else {
				misses = append(misses, "NONE "+line)
			}
		}
	}
	return o, misses, nil
}

// floatList parses a comma-separated list of numbers.
func floatList(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// weighSmall gives the examples of the stores after the first (those from bounds[0] on) that
// no procedure of their store is right for the weight w, whether they were just observed or
// read from a cache written with another weight.
func weighSmall(exs []resolve.Example, bounds []int, w float64) []resolve.Example {
	if len(bounds) == 0 {
		return exs
	}
	for i := bounds[0]; i < len(exs); i++ {
		exs[i].Weight = 0
		if exs[i].Label < 0 {
			exs[i].Weight = w
		}
	}
	return exs
}

// cloneExamples copies examples with their features.
func cloneExamples(exs []resolve.Example) []resolve.Example {
	out := make([]resolve.Example, len(exs))
	for i, ex := range exs {
		out[i] = ex
		out[i].None = slices.Clone(ex.None)
		out[i].Candidates = make([]resolve.Features, len(ex.Candidates))
		for j, c := range ex.Candidates {
			out[i].Candidates[j] = slices.Clone(c)
		}
	}
	return out
}

// observed is a split's examples as resolver-train observed them, for --cache.
type observed struct {
	Examples []resolve.Example
	Has      []bool
	Bounds   []int
}

func readObserved(path string) (map[string]observed, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read observed splits: %w", err)
	}
	defer f.Close()
	var out map[string]observed
	if err := gob.NewDecoder(f).Decode(&out); err != nil {
		return nil, fmt.Errorf("read observed splits %s: %w", path, err)
	}
	return out, nil
}

func writeObserved(path string, splits map[string]observed) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(splits); err != nil {
		return fmt.Errorf("write observed splits: %w", err)
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// omitted names the features a fit leaves out: their columns are zero in every example, so
// their weights stay 0 and the model ignores them.
type omitted struct{ candidate, none []int }

func leftOut(list string) (omitted, error) {
	var f omitted
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if i := slices.Index(resolve.CandidateFeatures, n); i >= 0 {
			f.candidate = append(f.candidate, i)
		} else if i := slices.Index(resolve.NoneFeatures, n); i >= 0 {
			f.none = append(f.none, i)
		} else {
			return f, fmt.Errorf("--without: no feature %q", n)
		}
	}
	return f, nil
}

// apply zeroes the left-out columns, in place.
func (f omitted) apply(exs []resolve.Example) []resolve.Example {
	for _, ex := range exs {
		for _, i := range f.none {
			ex.None[i] = 0
		}
		for _, c := range ex.Candidates {
			for _, i := range f.candidate {
				c[i] = 0
			}
		}
	}
	return exs
}
