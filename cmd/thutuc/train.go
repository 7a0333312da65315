package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/eval"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/catalog"
	"github.com/thutuc/thutuc/kb"
)

// cmdTrain trains the built-in embedder from the knowledge base, the training questions, the
// bundled sheets and the catalog's titles and sections, and writes the model.
func cmdTrain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	catalog := fs.String("catalog", filepath.Join("..", "shared", "data", "dvc-procedures.jsonl"), "the national catalog (JSON lines)")
	sheets := fs.String("sheets", filepath.Join("corpus", "procedures"), "folder of bundled procedure sheets")
	questions := fs.String("questions", filepath.Join("corpus", "eval", "citizen", "train.jsonl"), "training questions (JSON lines)")
	dev := fs.String("dev", "", "comma-separated question sets to score the model on after training (not used for training)")
	out := fs.String("out", filepath.Join("corpus", corpus.ModelPath), "where to write the model ('' writes nothing)")
	sections := fs.String("sections", "overview,result,applicants,conditions", "catalog sections whose passages are training texts")
	var o embedding.TrainOptions
	fs.IntVar(&o.Dim, "dim", 64, "vector size")
	fs.IntVar(&o.Epochs, "epochs", 15, "passes over the examples")
	fs.Float64Var(&o.LR, "lr", 0.05, "initial learning rate")
	fs.IntVar(&o.Negatives, "negatives", 96, "random negatives per example")
	fs.IntVar(&o.Hard, "hard", 6, "hard negatives (siblings) per example")
	fs.Float64Var(&o.Scale, "scale", 5, "softmax scale on cosine similarity")
	fs.IntVar(&o.MinCount, "min-count", 3, "features seen fewer times are dropped")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	o.Seed = *seed
	base, err := corpus.KB()
	if err != nil {
		return err
	}
	set, err := buildTrainingSet(base, *catalog, *sheets, *questions, strings.Split(*sections, ","))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "training on %d examples (%s) for %d labels\n", len(set.examples), set.summary(), len(set.titles))
	start := time.Now()
	o.Progress = func(epoch int, loss float64) {
		fmt.Fprintf(stdout, "  epoch %2d  loss %.4f  %s\n", epoch, loss, time.Since(start).Round(time.Millisecond))
	}
	info, err := trainingInputs(*questions, *sheets, *catalog)
	if err != nil {
		return err
	}
	info.Counts = set.counts
	info.Options = map[string]string{
		"dim": fmt.Sprint(o.Dim), "epochs": fmt.Sprint(o.Epochs), "lr": fmt.Sprint(o.LR), "negatives": fmt.Sprint(o.Negatives),
		"hard": fmt.Sprint(o.Hard), "scale": fmt.Sprint(o.Scale), "min_count": fmt.Sprint(o.MinCount), "seed": fmt.Sprint(o.Seed),
		"sections": *sections,
	}
	m, err := embedding.Train(set.examples, o, info)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained %s in %s: %d features, %d labels, %d dimensions, %.1f MB\n",
		m.Name(), time.Since(start).Round(time.Millisecond), m.Features(), len(m.Labels()), m.Dim(), float64(buf.Len())/1e6)
	for _, path := range strings.Split(*dev, ",") {
		if path = strings.TrimSpace(path); path == "" {
			continue
		}
		if err := scoreModel(m, set, path, stdout); err != nil {
			return err
		}
	}
	if *out == "" {
		return nil
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}

// trainingInputs digests what a model is trained from: the knowledge base built into this
// binary, the training questions and the bundled sheets (Inputs), and the catalog
// file (Catalog), so that a test can tell when the committed model is out of date.
func trainingInputs(questions, sheets, catalog string) (embedding.ModelInfo, error) {
	h := sha256.New()
	kbFiles, err := corpus.KBFiles()
	if err != nil {
		return embedding.ModelInfo{}, err
	}
	for _, f := range kbFiles {
		fmt.Fprintf(h, "%s %d\n", f.Name, len(f.Data))
		h.Write(f.Data)
	}
	files := []string{questions}
	if sheets != "" {
		md, _ := filepath.Glob(filepath.Join(sheets, "*.md"))
		sort.Strings(md)
		files = append(files, md...)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return embedding.ModelInfo{}, fmt.Errorf("train: %w", err)
		}
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		fmt.Fprintf(h, "%s %d\n", filepath.Base(p), len(data))
		h.Write(data)
	}
	info := embedding.ModelInfo{Inputs: hex.EncodeToString(h.Sum(nil))}
	f, err := os.Open(catalog)
	if err != nil {
		return info, fmt.Errorf("train: %w", err)
	}
	defer f.Close()
	ch := sha256.New()
	if _, err := io.Copy(ch, f); err != nil {
		return info, fmt.Errorf("train: read catalog: %w", err)
	}
	info.Catalog = hex.EncodeToString(ch.Sum(nil))
	return info, nil
}

// trainingSet is what the embedder learns from, and what scoring needs to read question sets.
type trainingSet struct {
	examples []embedding.Example
	counts   map[string]int    // examples by source
	titles   map[string]string // code → title
	sheetIDs map[string]string // bundled sheet id → code
}

func (s *trainingSet) summary() string {
	keys := make([]string, 0, len(s.counts))
	for k := range s.counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, s.counts[k])
	}
	return strings.Join(parts, ", ")
}

// buildTrainingSet reads the sources into examples. Every text is labelled with its
// procedure's code; the level variants of a procedure are accepted, and its siblings in the
// knowledge base are the hard negatives.
func buildTrainingSet(base *kb.Base, catalogPath, sheets, questions string, sections []string) (*trainingSet, error) {
	s := &trainingSet{counts: map[string]int{}, titles: map[string]string{}, sheetIDs: map[string]string{}}
	type textLabel struct{ source, text, code string }
	var pending []textLabel
	add := func(source, text, code string) {
		if strings.TrimSpace(text) != "" && code != "" {
			pending = append(pending, textLabel{source, text, code})
		}
	}

	f, err := os.Open(catalogPath)
	if err != nil {
		return nil, fmt.Errorf("train: the catalog is needed for training: %w", err)
	}
	defer f.Close()
	_, err = catalog.ReadWith(f, catalogPath, "2025-07-01", base, func(name string, sheet []byte) error {
		sh, err := ingest.ParseSheet(name, sheet)
		if err != nil {
			return nil // counted by the importer's own checks
		}
		code := strings.TrimSpace(sh.Meta.Code)
		s.titles[code] = sh.Meta.Title
		add("title", sh.Meta.Title, code)
		for _, n := range sh.Meta.Aliases {
			add("name", n, code)
		}
		for _, c := range ingest.Chunks(sh, ingest.ChunkOptions{}) {
			if slices.Contains(sections, c.Section) {
				add("section", c.Text, code)
			}
		}
		return nil
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("train: read catalog: %w", err)
	}

	if sheets != "" {
		files, _ := filepath.Glob(filepath.Join(sheets, "*.md"))
		sort.Strings(files)
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("train: %w", err)
			}
			sh, err := ingest.ParseSheet(p, data)
			if err != nil {
				return nil, fmt.Errorf("train: %w", err)
			}
			code := strings.TrimSpace(sh.Meta.Code)
			if sh.Meta.Kind != thutuc.KindProcedure || s.titles[code] == "" {
				continue
			}
			s.sheetIDs[sh.Meta.ID] = code
			add("sheet", sh.Meta.Title, code)
			for _, a := range sh.Meta.Aliases {
				add("sheet", a, code)
			}
		}
	}

	// Level variants: the same title without its level phrase.
	byKey := map[string][]string{}
	for code, t := range s.titles {
		k := kb.VariantKey(t)
		byKey[k] = append(byKey[k], code)
	}
	variants := func(code string) []string {
		return byKey[kb.VariantKey(s.titles[code])]
	}
	for _, p := range pending {
		s.examples = append(s.examples, embedding.Example{Text: p.text, Label: p.code, Accept: variants(p.code), Hard: base.Siblings(p.code)})
		s.counts[p.source]++
	}

	if questions != "" {
		qs, err := readQuestionFile(questions)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		for _, q := range qs {
			codes := s.codes(q.Procedure)
			if len(codes) == 0 {
				continue
			}
			accept := append(slices.Clone(codes[1:]), variants(codes[0])...)
			s.examples = append(s.examples, embedding.Example{Text: q.Question, Label: codes[0], Accept: accept, Hard: base.Siblings(codes[0])})
			s.counts["question"]++
		}
	}
	return s, nil
}

// codes maps a question's procedure ids (codes or bundled sheet ids) to codes.
func (s *trainingSet) codes(ids []string) []string {
	var out []string
	for _, id := range ids {
		if c, ok := s.sheetIDs[id]; ok {
			id = c
		}
		if _, ok := s.titles[id]; ok && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func readQuestionFile(path string) ([]eval.Question, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return eval.ReadQuestions(bytes.NewReader(data))
}

// scoreModel ranks the model's labels for each question of a set, as the per-document vectors
// in the store would, and prints hit@1, hit@5 and MRR.
func scoreModel(m *embedding.Trained, set *trainingSet, path string, w io.Writer) error {
	qs, err := readQuestionFile(path)
	if err != nil {
		return err
	}
	var n, h1, h5 int
	var rr float64
	for _, q := range qs {
		want := set.codes(q.Procedure)
		if len(want) == 0 {
			continue
		}
		n++
		for i, c := range m.Rank(q.Question, 10) {
			if slices.Contains(want, c) {
				if i == 0 {
					h1++
				}
				if i < 5 {
					h5++
				}
				rr += 1 / float64(i+1)
				break
			}
		}
	}
	if n == 0 {
		fmt.Fprintf(w, "%s: no question names a known procedure\n", path)
		return nil
	}
	fmt.Fprintf(w, "%s: %d questions, label hit@1 %.3f, hit@5 %.3f, MRR@10 %.3f\n", path, n, float64(h1)/float64(n), float64(h5)/float64(n), rr/float64(n))
	return nil
}
