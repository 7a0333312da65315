package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/retrieval"
)

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg := commonFlags(fs, getenv)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.db.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

func cmdIngest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	cfg := commonFlags(fs, getenv)
	prune := fs.Bool("prune", false, "delete stored documents whose files or records are gone")
	force := fs.Bool("force", false, "let a file replace a document of its id stored from another path")
	format := fs.String("format", ingest.FormatMarkdown, "markdown | dvc-jsonl | laws-json")
	reembed := fs.Bool("reembed", false, "delete everything and ingest again with the configured embedder")
	asJSON := fs.Bool("json", false, "print statistics as JSON")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "ingest: give at least one PATH")
		return errUsage
	}
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.db.Migrate(ctx); err != nil {
		return err
	}
	if *reembed {
		if err := a.db.ResetEmbedder(ctx); err != nil {
			return err
		}
	}
	r := &ingest.Runner{DB: a.db, Embedder: a.embedder, Logger: a.logger, Importers: ingest.Importers(a.kb)}
	st, err := r.Ingest(ctx, fs.Args(), ingest.Options{Format: *format, Prune: *prune, Force: *force})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(st)
	} else {
		fmt.Fprintf(stdout, "ingested %d sources in %s: %d written (%d chunks), %d unchanged, %d deleted, %d failed\n",
			st.Sources, st.Duration.Round(1e6), st.Written, st.Chunks, st.Unchanged, st.Deleted, len(st.Failed))
		for _, f := range st.Failed {
			if strings.HasPrefix(f.Err, f.Path) {
				fmt.Fprintf(stdout, "  FAILED %s\n", f.Err)
			} else {
				fmt.Fprintf(stdout, "  FAILED %s: %s\n", f.Path, f.Err)
			}
		}
		if st.Extra != nil {
			b, _ := json.Marshal(st.Extra)
			fmt.Fprintf(stdout, "  importer: %s\n", b)
		}
	}
	return err
}

func cmdSearch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	cfg := commonFlags(fs, getenv)
	asJSON := fs.Bool("json", false, "print JSON")
	k := fs.Int("k", 5, "documents to return")
	mode := fs.String("mode", retrieval.ModeHybrid, "hybrid | text | vector")
	kind := fs.String("kind", "", "filter: procedure | regulation")
	level := fs.String("level", "", "filter: bo | tinh | xa")
	explain := fs.Bool("explain", false, "resolve the question: each candidate procedure with its probability and features")
	current := fs.String("current", "", "with --explain: the conversation's procedure id")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	q := strings.Join(fs.Args(), " ")
	a, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if *explain {
		return explainResolution(ctx, a, q, *current, *asJSON, stdout)
	}
	resp, err := a.searcher.Search(ctx, retrieval.Query{Text: q, K: *k, Mode: *mode, Filter: thutuc.Filter{Kind: *kind, Level: *level}})
	if err != nil {
		var e *thutuc.Error
		if errors.As(err, &e) {
			return errors.New(e.Message)
		}
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(resp)
	}
	for i, r := range resp.Results {
		fmt.Fprintf(stdout, "%d. [%s] %s (%s) score %.4f\n", i+1, r.DocumentID, r.Title, r.Code, r.Score)
		for _, s := range r.Sections {
			line := strings.ReplaceAll(s.Text, "\n", " ")
			if rs := []rune(line); len(rs) > 110 {
				line = string(rs[:110]) + "…"
			}
			label := s.Section
			if s.Article != "" {
				label = "Điều " + s.Article
			}
			fmt.Fprintf(stdout, "     %-12s %s\n", label, line)
		}
	}
	if len(resp.Results) == 0 {
		fmt.Fprintln(stdout, "không tìm thấy kết quả")
	}
	return nil
}

// explainResolution prints what the resolver decides about a question and why.
func explainResolution(ctx context.Context, a *app, q, current string, asJSON bool, stdout io.Writer) error {
	r, err := resolve.New(a.searcher, a.db)
	if err != nil {
		return err
	}
	res, err := r.Resolve(ctx, resolve.Query{Text: q, Current: current})
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "decision: %s   P(none) %.3f\n", res.Decision, res.None)
	if res.Topic != nil {
		fmt.Fprintf(stdout, "uncovered sector named: %s\n", res.Topic.Sector)
	}
	if res.Facet != nil {
		fmt.Fprintf(stdout, "asks (%s): %s\n", res.Facet.Kind, res.Facet.Question)
		for i, o := range res.Facet.Options {
			fmt.Fprintf(stdout, "  %d. %s → %s\n", i+1, o.Label, o.ID)
		}
	}
	for i, c := range res.Candidates {
		if i == 8 {
			break
		}
		fmt.Fprintf(stdout, "%d. P %.3f  [%s] %s (%s)", i+1, c.P, c.ID(), c.Result.Title, c.Result.Level)
		if len(c.Variants) > 0 {
			fmt.Fprintf(stdout, "  +%d levels", len(c.Variants))
		}
		fmt.Fprintln(stdout)
		var parts []string
		for j, name := range resolve.CandidateFeatures {
			if v := c.Features[j]; v != 0 {
				parts = append(parts, fmt.Sprintf("%s=%.2f", name, v))
			}
		}
		fmt.Fprintf(stdout, "     %s\n", strings.Join(parts, " "))
	}
	return nil
}
