package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/eval"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
)

// BenchmarkAblation measures, in one run, what the knowledge base and the trained embedder
// each add: rank-1, top-5 and MRR of BM25 alone, the hashing embedder's vectors, the trained
// embedder's vectors and their hybrids, on the citizen questions' test split and the catalog
// question set over the whole catalog (and the laws), and on the bundled development set over
// the bundled corpus. It also retrains the model and says whether the committed one is
// reproduced, and how long training takes.
func BenchmarkAblation(b *testing.B) {
	root, dvc, laws := sharedData(b)
	ctx := context.Background()
	base, err := corpus.KB()
	if err != nil {
		b.Fatal(err)
	}
	model, err := corpus.Model()
	if err != nil || model == nil {
		b.Fatalf("no trained model (run thutuc train): %v", err)
	}
	trained, err := embedding.LoadTrained(model)
	if err != nil {
		b.Fatal(err)
	}
	hashing := embedding.NewHashing(0)
	lex, err := retrieval.ParseLexicon(corpus.Lexicon)
	if err != nil {
		b.Fatal(err)
	}
	sets := []struct {
		name string
		qs   []eval.Question
	}{
		{"citizen test split", readSet(b, filepath.Join(root, "corpus", "eval", "citizen", "test.jsonl"))},
		{"catalog_questions.jsonl", readSet(b, filepath.Join(root, "corpus", "eval", "catalog_questions.jsonl"))},
	}
	for i := 0; i < b.N; i++ {
		type config struct {
			name string
			emb  embedding.Embedder
			base *kb.Base
		}
		var rows [][]string
		score := func(set, cfg string, s *retrieval.Searcher, qs []eval.Question, modes []string) {
			rep, err := eval.Run(ctx, s, qs, eval.Options{Modes: modes})
			if err != nil {
				b.Fatal(err)
			}
			for _, m := range modes {
				r := rep.Retrieval[m]
				rows = append(rows, []string{set, cfg, m, fmt.Sprint(r.N), fmt.Sprintf("%.3f", r.Hit1), fmt.Sprintf("%.3f", r.Hit5), fmt.Sprintf("%.3f", r.MRR)})
			}
		}
		for _, c := range []config{
			{"before: hashing vectors, no knowledge base", hashing, nil},
			{"knowledge base + hashing vectors", hashing, base},
			{"knowledge base + trained vectors", trained, base},
		} {
			db := pgtest.MustOpen(b)
			r := &ingest.Runner{DB: db, Embedder: c.emb, Importers: ingest.Importers(c.base)}
			start := time.Now()
			for _, src := range []struct{ path, format string }{{dvc, ingest.FormatDVC}, {laws, ingest.FormatLaws}} {
				if _, err := r.Ingest(ctx, []string{src.path}, ingest.Options{Format: src.format}); err != nil {
					b.Fatalf("%s: ingest %s: %v", c.name, src.format, err)
				}
			}
			fmt.Printf("%s: catalog and laws ingested in %s\n", c.name, time.Since(start).Round(time.Millisecond))
			s := retrieval.NewSearcher(db, c.emb, lex, nil)
			for _, set := range sets {
				score(set.name, c.name, s, set.qs, []string{retrieval.ModeText, retrieval.ModeVector, retrieval.ModeHybrid})
			}
		}
		for _, c := range []config{{"hashing vectors", hashing, nil}, {"trained vectors", trained, nil}} {
			db := pgtest.MustOpen(b)
			r := &ingest.Runner{DB: db, Embedder: c.emb}
			paths := []string{filepath.Join(root, "corpus", "procedures"), filepath.Join(root, "corpus", "regulations")}
			if _, err := r.Ingest(ctx, paths, ingest.Options{}); err != nil {
				b.Fatal(err)
			}
			score("bundled dev set (bundled corpus)", c.name, retrieval.NewSearcher(db, c.emb, lex, nil), questions(b),
				[]string{retrieval.ModeText, retrieval.ModeVector, retrieval.ModeHybrid})
		}
		table("Ablation: the right procedure among the results (text = BM25 alone; vector = the embedder's document and chunk vectors; hybrid = both fused)",
			[]string{"question set", "store", "mode", "n", "hit@1", "hit@5", "MRR"}, rows)
		trainTable(b, root, dvc, model)
	}
}

// trainTable retrains the built-in embedder with the committed options and reports the time,
// the model's size and whether it equals the committed model byte for byte.
func trainTable(b *testing.B, root, dvc string, committed []byte) {
	bin := filepath.Join(b.TempDir(), "thutuc")
	build := exec.Command("go", "build", "-o", bin, "./cmd/thutuc")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	m, err := embedding.LoadTrained(committed)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "model.bin")
	args := []string{"train", "--catalog", dvc, "--out", out}
	for k, v := range m.Info.Options {
		args = append(args, "--"+strings.ReplaceAll(k, "_", "-"), v)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = root
	start := time.Now()
	if outb, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("train: %v\n%s", err, outb)
	}
	took := time.Since(start)
	got, err := os.ReadFile(out)
	if err != nil {
		b.Fatal(err)
	}
	same := "no"
	if bytes.Equal(got, committed) {
		same = "yes"
	}
	b.ReportMetric(took.Seconds(), "train-s")
	table("Training the built-in embedder (target: under a minute on 2 cores)",
		[]string{"model", "examples", "features", "dimensions", "size", "training time (with reading the catalog)", "equals the committed model"},
		[][]string{{m.Name(), fmt.Sprint(m.Info.Counts), fmt.Sprint(m.Features()), fmt.Sprint(m.Dim()), fmt.Sprintf("%.1f MB", float64(len(committed))/1e6),
			took.Round(10 * time.Millisecond).String(), same}})
}

func readSet(b *testing.B, path string) []eval.Question {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatalf("question set: %v", err)
	}
	qs, err := eval.ReadQuestions(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	return qs
}

// BenchmarkEmbedQuery embeds the test split's questions with the committed trained model
// (target: under 1 ms a query).
func BenchmarkEmbedQuery(b *testing.B) {
	m, err := ingesttest.LoadEmbedder()
	if err != nil {
		b.Fatal(err)
	}
	qs := readSet(b, filepath.Join(ingesttest.Root(b), "corpus", "eval", "citizen", "test.jsonl"))
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Vector(qs[i%len(qs)].Question)
		i++
	}
}
