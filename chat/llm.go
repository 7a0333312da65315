package chat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"
)

// LLMConfig selects an optional LLM (parsed once in cmd/).
type LLMConfig struct {
	Provider string // none | openai | ollama
	BaseURL  string // OpenAI-compatible: …/v1; Ollama: http://host:11434
	Model    string
	APIKey   string
	Timeout  time.Duration // time limit of one generation (default 60s)
}

// Generator writes a fluent answer from numbered sources. nil means extractive answers only.
type Generator interface {
	// Name is the generator of the answers it writes: "llm:<model>".
	Name() string
	// Generate returns the model's answer to prompt under the system prompt. When onDelta is
	// not nil the answer is streamed to it piece by piece as it is written; an error from
	// onDelta stops the generation. Generate fails with the context's error when ctx ends
	// (or its own time limit passes) before the answer is complete, never with a partial one.
	Generate(ctx context.Context, system, prompt string, onDelta func(string) error) (string, error)
}

// NewGenerator returns the generator cfg describes, or nil for provider "none".
func NewGenerator(cfg LLMConfig) (Generator, error) {
	provider := strings.ToLower(strings.TrimSpace(cfg.Provider))
	if provider == "" || provider == "none" {
		return nil, nil
	}
	if cfg.Model == "" {
		return nil, thutuc.Errorf(thutuc.EINVALID, "LLM %s: model is required (THUTUC_LLM_MODEL)", provider)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	// No http.Client.Timeout: it would cut long streams mid-answer. Each generation runs
	// under a context deadline instead (cfg.Timeout).
	client := &http.Client{}
	var model llms.Model
	var err error
	switch provider {
	case "openai":
		key := cfg.APIKey
		if key == "" {
			key = "none" // local OpenAI-compatible servers need no key, the client wants one
		}
		opts := []openai.Option{openai.WithModel(cfg.Model), openai.WithToken(key), openai.WithHTTPClient(client)}
		if cfg.BaseURL != "" {
			opts = append(opts, openai.WithBaseURL(strings.TrimRight(cfg.BaseURL, "/")))
		}
		model, err = openai.New(opts...)
	case "ollama":
		opts := []ollama.Option{ollama.WithModel(cfg.Model), ollama.WithHTTPClient(client)}
		if cfg.BaseURL != "" {
			opts = append(opts, ollama.WithServerURL(strings.TrimRight(cfg.BaseURL, "/")))
		}
		model, err = ollama.New(opts...)
	default:
		return nil, thutuc.Errorf(thutuc.EINVALID, "unknown LLM provider %q (none, openai or ollama)", cfg.Provider)
	}
	if err != nil {
		return nil, fmt.Errorf("create %s LLM client: %w", provider, err)
	}
	return &llmGenerator{model: model, name: "llm:" + cfg.Model, timeout: cfg.Timeout}, nil
}

// llmGenerator generates through a langchaingo model.
type llmGenerator struct {
	model   llms.Model
	name    string
	timeout time.Duration
}

func (g *llmGenerator) Name() string { return g.name }

func (g *llmGenerator) Generate(ctx context.Context, system, prompt string, onDelta func(string) error) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, system),
		llms.TextParts(llms.ChatMessageTypeHuman, prompt),
	}
	opts := []llms.CallOption{llms.WithTemperature(0.1), llms.WithMaxTokens(1500)}
	if onDelta != nil {
		opts = append(opts, llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			if len(chunk) == 0 {
				return nil // keep-alive and role-only chunks carry no text
			}
			return onDelta(string(chunk))
		}))
	}
	resp, err := g.model.GenerateContent(ctx, msgs, opts...)
	// A cancelled stream may come back as a partial answer with a nil error: the context says
	// whether the answer is complete.
	if ctxErr := ctx.Err(); ctxErr != nil {
		return "", fmt.Errorf("generate with %s: %w", g.name, ctxErr)
	}
	if err != nil {
		return "", fmt.Errorf("generate with %s: %w", g.name, err)
	}
	if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Content) == "" {
		return "", fmt.Errorf("generate with %s: %w", g.name, errEmptyAnswer)
	}
	return resp.Choices[0].Content, nil
}

var errEmptyAnswer = errors.New("empty answer")
