package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
	test := fs.Bool("test", false, "also report the test split (never used to choose anything)")
	small := fs.String("small-store", "", "a second store holding only the bundled corpus: its questions about other procedures teach the model to say none")
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
	split := func(name string) ([]resolve.Labeled, []resolve.Example, []bool, error) {
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
			msgs, err := labeledSplit(filepath.Join(dir, name+".jsonl"), filepath.Join(dir, "followups_"+name+".txt"), ids, name)
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
					in = in || codes[c] || slices.Contains(ids, c)
				}
				has = append(has, in)
			}
			fmt.Fprintf(stdout, "%s: %d messages observed over %d procedures in %s\n", name, len(msgs), len(ids), time.Since(start).Round(time.Millisecond))
			all, exs = append(all, msgs...), append(exs, ex...)
			bounds[name] = append(bounds[name], len(exs))
		}
		return all, exs, has, nil
	}
	_, trainEx, _, err := split("train")
	if err != nil {
		return err
	}
	m := resolve.Fit(trainEx, *l2, *steps)
	_, devEx, devHas, err := split("dev")
	if err != nil {
		return err
	}
	dev := m.ChooseThresholds(devEx, devHas, *maxWrong, *minNone)
	fmt.Fprintf(stdout, "thresholds: answer %.2f, offer %.2f, clarify %.2f\ndev: %s\n", m.Answer, m.Offer, m.Clarify, dev)
	perStore := func(name string, exs []resolve.Example, has []bool) {
		from := 0
		for i, to := range bounds[name] {
			fmt.Fprintf(stdout, "  %s, store %d: %s\n", name, i+1, m.Evaluate(exs[from:to], has[from:to]))
			from = to
		}
	}
	perStore("dev", devEx, devHas)
	m.Fit = map[string]any{"train_examples": len(trainEx), "dev_examples": len(devEx), "l2": *l2, "steps": *steps,
		"max_wrong": *maxWrong, "min_none": *minNone, "dev_right": dev.RightRate(), "dev_wrong": dev.WrongRate(),
		"dev_none_recall": dev.NoneRecall(), "dev_none_precision": dev.NonePrecision()}
	for i, name := range resolve.CandidateFeatures {
		fmt.Fprintf(stdout, "  w %-18s %+.3f\n", name, m.W[i])
	}
	for i, name := range resolve.NoneFeatures {
		fmt.Fprintf(stdout, "  v %-18s %+.3f\n", name, m.V[i])
	}
	if *test {
		_, testEx, testHas, err := split("test")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "test: %s\n", m.Evaluate(testEx, testHas))
		perStore("test", testEx, testHas)
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

// labeledSplit reads a split's questions and adds conversation turns made with its
// follow-ups.
func labeledSplit(questions, followUps string, codes []string, seedName string) ([]resolve.Labeled, error) {
	data, err := os.ReadFile(questions)
	if err != nil {
		return nil, err
	}
	qs, err := eval.ReadQuestions(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var msgs []resolve.Labeled
	for _, q := range qs {
		msgs = append(msgs, resolve.Labeled{Text: q.Question, Accept: q.Procedure})
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
