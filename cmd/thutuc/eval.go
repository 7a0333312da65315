package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/eval"
)

func cmdEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	cfg := commonFlags(fs, getenv)
	questions := fs.String("questions", "", "question set (JSON lines); default: the bundled development set")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	modes := fs.String("modes", "hybrid,text,vector", "retrieval modes to score")
	withChat := fs.Bool("chat", true, "also score answers (status, citations, numbers in quotes)")
	vw := fs.Float64("vector-weight", 0, "weight of the chunk-vector ranking in hybrid search (0: the default)")
	dw := fs.Float64("document-weight", 0, "weight of the document-vector ranking (0: the default, negative: off)")
	fusion := fs.String("fusion", "", "rrf | scores (default: the embedder's)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	data := corpus.Questions
	if *questions != "" {
		b, err := os.ReadFile(*questions)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		data = b
	}
	qs, err := eval.ReadQuestions(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.searcher.Warm(ctx); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if *vw != 0 {
		a.searcher.VectorWeight = *vw
	}
	if *dw != 0 {
		a.searcher.DocumentWeight = *dw
	}
	if *fusion != "" {
		a.searcher.Fusion = *fusion
	}
	opts := eval.Options{}
	for _, m := range strings.Split(*modes, ",") {
		if m = strings.TrimSpace(m); m != "" {
			opts.Modes = append(opts.Modes, m)
		}
	}
	if *withChat {
		if opts.Chat, err = a.chatService(nil); err != nil {
			return err
		}
	}
	rep, err := eval.Run(ctx, a.searcher, qs, opts)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.Print(stdout)
	return nil
}
