// Command thutuc answers questions about Vietnamese administrative procedures with cited
// sources. Run `thutuc help` for the commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "thutuc:", err)
		os.Exit(exitCode(err))
	}
}

// usage is printed by `thutuc help`.
const usage = `thutuc — hỏi đáp thủ tục hành chính, có trích dẫn nguồn.

Usage:
  thutuc serve   [--addr :8080]                 serve the HTTP API, widget and pages
  thutuc ingest  [--prune] [--format F] [--reembed] PATH...
                                                ingest sheets (files or folders of .md), or with
                                                --format dvc-jsonl|laws-json the catalog or the laws
  thutuc search  [--json] [--k 5] [--mode hybrid|text|vector] "query"
  thutuc ask     [--json] [--audience citizen|coach|officer] "question"
  thutuc search  --explain [--current ID] "question"
                                                the resolver's decision, probabilities and features
  thutuc eval    [--questions FILE] [--json] [--floors FILE]
  thutuc train   [--catalog FILE] [--dev FILES]  train the built-in embedder (corpus/model/embedder.bin)
  thutuc resolver-train [--small-store URL] [--test]
                                                fit the resolver (corpus/model/resolver.json)
  thutuc migrate                                apply database migrations
  thutuc help

Configuration (flags override the environment):
  DATABASE_URL          Postgres URL (default: the project-local cluster of make db)
  PORT                  port for serve when --addr is not given (default 8080)
  THUTUC_EMBEDDER       builtin (default: the trained model) | builtin-hash | openai | ollama
  THUTUC_EMBED_URL      embedding server base URL (OpenAI-compatible …/v1, or Ollama)
  THUTUC_EMBED_MODEL    embedding model name
  THUTUC_EMBED_KEY      API key for the embedding server (or OPENAI_API_KEY)
  THUTUC_EMBED_DIM      builtin-hash embedder dimension (default 512)
  THUTUC_LLM            none (default: extractive answers) | openai | ollama
  THUTUC_LLM_URL        LLM server base URL
  THUTUC_LLM_MODEL      LLM model name
  THUTUC_LLM_KEY        API key for the LLM server (or OPENAI_API_KEY)
  THUTUC_LLM_TIMEOUT    time limit of one LLM answer (default 60s)
  THUTUC_CORS_ORIGINS   comma-separated portal origins allowed to call the API from a browser
  THUTUC_CHAT_PER_MINUTE chat messages per client IP and minute (default 30; 0: no limit)
  THUTUC_SEARCH_PER_MINUTE, THUTUC_FEEDBACK_PER_MINUTE
                        searches (default 120) and feedback requests (default 10) per client and minute
  THUTUC_TRUSTED_PROXIES comma-separated addresses or CIDR ranges of the reverse proxies whose
                        X-Forwarded-For is believed (default: none)
  THUTUC_ADMIN_TOKEN    opens the content team's console at /admin to whoever presents it (default: no console)
  THUTUC_PUBLIC_URL     absolute URL the service is reached at, for its pages' links (default: relative)
  THUTUC_RETENTION_DAYS days a conversation is kept after its last message (default 30)
  THUTUC_LOG_LEVEL      debug | info (default) | warn | error
`

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "ingest":
		return cmdIngest(ctx, rest, getenv, stdout, stderr)
	case "search":
		return cmdSearch(ctx, rest, getenv, stdout, stderr)
	case "ask":
		return cmdAsk(ctx, rest, getenv, stdout, stderr)
	case "eval":
		return cmdEval(ctx, rest, getenv, stdout, stderr)
	case "train":
		return cmdTrain(ctx, rest, getenv, stdout, stderr)
	case "resolver-train":
		return cmdResolverTrain(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
	return errUsage
}
