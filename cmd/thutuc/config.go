package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/embedding"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
)

// defaultDatabaseURL is the project-local cluster started by `make db`.
const defaultDatabaseURL = "postgres://thutuc@127.0.0.1:54329/thutuc?sslmode=disable"

var errUsage = errors.New("usage")

// exitCode maps an error to the process exit status: 2 for usage, 3 when some sources failed
// to ingest (the rest was ingested), 1 otherwise.
func exitCode(err error) int {
	switch {
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, ingest.ErrSomeFailed):
		return 3
	}
	return 1
}

// config is everything configurable, parsed once from flags and the environment.
type config struct {
	DatabaseURL string
	Embed       embedding.Config
	LLM         llmConfig
	CORSOrigins []string
	// ChatPerMinute limits chat messages per client IP and minute (0 disables the limit).
	ChatPerMinute int
	// SearchPerMinute and FeedbackPerMinute limit those requests the same way.
	SearchPerMinute, FeedbackPerMinute int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// PublicURL is the absolute URL the service is reached at, for the links of its pages.
	PublicURL string
	// AdminToken opens the content team's console at /admin ("": no console).
	AdminToken string
	// RetentionDays is how long a conversation, its messages and their feedback are kept
	// after its last message.
	RetentionDays int
	LogLevel      slog.Level
}

// llmConfig selects an optional LLM for fluent answers.
type llmConfig struct {
	Provider string // none | openai | ollama
	BaseURL  string
	Model    string
	APIKey   string
	Timeout  time.Duration
}

// commonFlags registers the flags shared by all commands, with environment fallbacks.
func commonFlags(fs *flag.FlagSet, getenv func(string) string) *config {
	c := &config{}
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", defaultDatabaseURL), "Postgres URL")
	fs.StringVar(&c.Embed.Provider, "embedder", env("THUTUC_EMBEDDER", "builtin"), "builtin | builtin-hash | openai | ollama")
	fs.StringVar(&c.Embed.BaseURL, "embed-url", env("THUTUC_EMBED_URL", ""), "embedding server base URL")
	fs.StringVar(&c.Embed.Model, "embed-model", env("THUTUC_EMBED_MODEL", ""), "embedding model")
	c.Embed.APIKey = env("THUTUC_EMBED_KEY", getenv("OPENAI_API_KEY"))
	dim, _ := strconv.Atoi(env("THUTUC_EMBED_DIM", "512"))
	fs.IntVar(&c.Embed.Dim, "embed-dim", dim, "builtin-hash embedder dimension")
	fs.StringVar(&c.LLM.Provider, "llm", env("THUTUC_LLM", "none"), "none | openai | ollama")
	fs.StringVar(&c.LLM.BaseURL, "llm-url", env("THUTUC_LLM_URL", ""), "LLM server base URL")
	fs.StringVar(&c.LLM.Model, "llm-model", env("THUTUC_LLM_MODEL", ""), "LLM model")
	c.LLM.APIKey = env("THUTUC_LLM_KEY", getenv("OPENAI_API_KEY"))
	timeout, err := time.ParseDuration(env("THUTUC_LLM_TIMEOUT", "60s"))
	if err != nil {
		timeout = 60 * time.Second
	}
	fs.DurationVar(&c.LLM.Timeout, "llm-timeout", timeout, "time limit of one LLM answer")
	// count reads a whole number from the environment, at least least, else def.
	count := func(name string, def, least int) int {
		n, err := strconv.Atoi(env(name, strconv.Itoa(def)))
		if err != nil || n < least {
			return def
		}
		return n
	}
	// list reads a comma-separated list from the environment.
	list := func(name string) []string {
		var out []string
		for _, s := range strings.Split(env(name, ""), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	c.CORSOrigins = list("THUTUC_CORS_ORIGINS")
	c.TrustedProxies = list("THUTUC_TRUSTED_PROXIES")
	fs.IntVar(&c.ChatPerMinute, "chat-per-minute", count("THUTUC_CHAT_PER_MINUTE", 30, 0), "chat messages per client IP and minute (0: no limit)")
	fs.IntVar(&c.SearchPerMinute, "search-per-minute", count("THUTUC_SEARCH_PER_MINUTE", 120, 0), "searches per client and minute (0: no limit)")
	fs.IntVar(&c.FeedbackPerMinute, "feedback-per-minute", count("THUTUC_FEEDBACK_PER_MINUTE", 10, 0), "feedback requests per client and minute (0: no limit)")
	fs.IntVar(&c.RetentionDays, "retention-days", count("THUTUC_RETENTION_DAYS", 30, 1), "days a conversation is kept after its last message")
	c.AdminToken = getenv("THUTUC_ADMIN_TOKEN")
	fs.StringVar(&c.PublicURL, "public-url", env("THUTUC_PUBLIC_URL", ""), "absolute URL the service is reached at (links of its pages; default: relative)")
	_ = c.LogLevel.UnmarshalText([]byte(env("THUTUC_LOG_LEVEL", "info")))
	return c
}

// parse parses args into fs, printing errors to stderr.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	return nil
}

// app holds the opened dependencies of a command.
type app struct {
	cfg      *config
	logger   *slog.Logger
	db       *postgres.DB
	kb       *kb.Base
	embedder embedding.Embedder
	searcher *retrieval.Searcher
}

func open(ctx context.Context, cfg *config, stderr io.Writer) (*app, error) {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	db, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{Logger: logger})
	if err != nil {
		return nil, err
	}
	base, err := corpus.KB()
	if err != nil {
		db.Close()
		return nil, err
	}
	ecfg := cfg.Embed
	if ecfg.Trained, err = corpus.Model(); err != nil {
		db.Close()
		return nil, fmt.Errorf("load embedding model: %w", err)
	}
	emb, err := embedding.New(ecfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	lex, err := retrieval.ParseLexicon(corpus.Lexicon)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("load lexicon: %w", err)
	}
	searcher := retrieval.NewSearcher(db, emb, lex, logger)
	return &app{cfg: cfg, logger: logger, db: db, kb: base, embedder: emb, searcher: searcher}, nil
}

func (a *app) close() { a.db.Close() }
