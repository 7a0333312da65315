// Package embedding turns text into vectors. The built-in embedder needs no downloads or keys;
// OpenAI-compatible servers and Ollama are options, reached through langchaingo's embedding
// client (batched).
package embedding

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tmc/langchaingo/embeddings"
	"github.com/tmc/langchaingo/llms/openai"
)

// Embedder has the shape of langchaingo's embeddings.Embedder, plus a name recorded in the store
// so that vectors from different embedders are never mixed.
type Embedder interface {
	EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error)
	EmbedQuery(ctx context.Context, text string) ([]float32, error)
	// Name identifies the embedder and its model, e.g. "builtin-hash-v1" or "openai:text-embedding-3-small".
	Name() string
}

// Config selects and configures an embedder. It is parsed once in cmd/.
type Config struct {
	Provider  string        // builtin (default: the trained model, else hashing) | builtin-hash | openai | ollama
	BaseURL   string        // server URL for openai (…/v1) or ollama (http://host:11434)
	Model     string        // model name for openai or ollama
	APIKey    string        // openai only; optional for local servers
	Dim       int           // builtin-hash: vector size (default 512)
	Trained   []byte        // builtin: the trained model (corpus.Model); nil falls back to hashing
	BatchSize int           // texts per request for remote embedders (default 64)
	Timeout   time.Duration // per request (default 60s)
}

// New returns the embedder cfg describes.
func New(cfg Config) (Embedder, error) {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 64
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	switch strings.ToLower(cfg.Provider) {
	case "", "builtin":
		if cfg.Trained == nil {
			return NewHashing(cfg.Dim), nil
		}
		return LoadTrained(cfg.Trained)
	case "builtin-hash":
		return NewHashing(cfg.Dim), nil
	case "openai":
		if cfg.Model == "" {
			return nil, fmt.Errorf("embedder openai: a model is required")
		}
		opts := []openai.Option{openai.WithEmbeddingModel(cfg.Model), openai.WithHTTPClient(&http.Client{Timeout: cfg.Timeout})}
		if cfg.BaseURL != "" {
			opts = append(opts, openai.WithBaseURL(cfg.BaseURL))
		}
		// langchaingo refuses an empty token; local servers accept any.
		key := cfg.APIKey
		if key == "" {
			key = "none"
		}
		opts = append(opts, openai.WithToken(key))
		client, err := openai.New(opts...)
		if err != nil {
			return nil, fmt.Errorf("embedder openai: %w", err)
		}
		e, err := embeddings.NewEmbedder(client, embeddings.WithBatchSize(cfg.BatchSize), embeddings.WithStripNewLines(false))
		if err != nil {
			return nil, fmt.Errorf("embedder openai: %w", err)
		}
		return named{e, "openai:" + cfg.Model}, nil
	case "ollama":
		if cfg.Model == "" {
			return nil, fmt.Errorf("embedder ollama: a model is required")
		}
		base := cfg.BaseURL
		if base == "" {
			base = "http://127.0.0.1:11434"
		}
		c := &ollamaClient{base: strings.TrimRight(base, "/"), model: cfg.Model, http: &http.Client{Timeout: cfg.Timeout}}
		e, err := embeddings.NewEmbedder(c, embeddings.WithBatchSize(cfg.BatchSize), embeddings.WithStripNewLines(false))
		if err != nil {
			return nil, fmt.Errorf("embedder ollama: %w", err)
		}
		return named{e, "ollama:" + cfg.Model}, nil
	}
	return nil, fmt.Errorf("unknown embedder %q (want builtin, builtin-hash, openai or ollama)", cfg.Provider)
}

type named struct {
	embeddings.Embedder
	name string
}

func (n named) Name() string { return n.name }

// Dim embeds a probe text to learn the vector size of e.
func Dim(ctx context.Context, e Embedder) (int, error) {
	switch e := e.(type) {
	case *Hashing:
		return e.dim, nil
	case *Trained:
		return e.dim, nil
	}
	v, err := e.EmbedQuery(ctx, "thủ tục hành chính")
	if err != nil {
		return 0, fmt.Errorf("probe embedder %s: %w", e.Name(), err)
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("probe embedder %s: empty vector", e.Name())
	}
	return len(v), nil
}

// LabelEmbedder is an embedder that knows a vector for each procedure it was trained on, by
// official code (the trained built-in one). A document of such a procedure is stored with that
// vector; other documents with the vector of their title and aliases.
type LabelEmbedder interface {
	LabelVector(code string) ([]float32, bool)
}

// DocumentVector returns the vector stored for a whole document: its procedure's label vector
// when e knows the code, else the embedding of its card (title and aliases).
func DocumentVector(ctx context.Context, e Embedder, code, card string) ([]float32, error) {
	if le, ok := e.(LabelEmbedder); ok && code != "" {
		if v, ok := le.LabelVector(code); ok {
			return v, nil
		}
	}
	v, err := e.EmbedQuery(ctx, card)
	if err != nil {
		return nil, fmt.Errorf("embed document: %w", err)
	}
	return v, nil
}
