package chat

import (
	"context"
	"log/slog"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/retrieval"
)

// LLMConfig selects an optional LLM (parsed once in cmd/).
type LLMConfig struct {
	Provider string // none | openai | ollama
	BaseURL  string
	Model    string
	APIKey   string
	Timeout  time.Duration
}

// Generator writes a fluent answer from numbered sources. nil means extractive answers only.
type Generator interface{}

// NewGenerator returns the generator cfg describes, or nil for provider "none".
func NewGenerator(cfg LLMConfig) (Generator, error) { return nil, nil }

// Config wires a Service.
type Config struct {
	Searcher  *retrieval.Searcher
	DB        *postgres.DB
	Generator Generator // nil: extractive answers only
	Logger    *slog.Logger
}

// Service answers chat messages.
type Service struct{ cfg Config }

// New returns a Service.
func New(cfg Config) *Service { return &Service{cfg: cfg} }

// Answer answers one message. emit, when not nil, receives the SSE events as they happen.
func (s *Service) Answer(ctx context.Context, req Request, emit func(Event) error) (*Response, error) {
	return nil, thutuc.Errorf(thutuc.EUNAVAILABLE, "chat is not implemented yet")
}

// Feedback stores a user's judgement of an answer.
func (s *Service) Feedback(ctx context.Context, f Feedback) error {
	return thutuc.Errorf(thutuc.EUNAVAILABLE, "feedback is not implemented yet")
}

// Stats counts answers by status and the share of helpful answers per procedure.
type Stats struct {
	Statuses   map[string]int   `json:"statuses"`
	Procedures []ProcedureStats `json:"procedures"`
}

// ProcedureStats is the feedback of one procedure.
type ProcedureStats struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Answers     int     `json:"answers"`
	Feedback    int     `json:"feedback"`
	Helpful     int     `json:"helpful"`
	HelpfulRate float64 `json:"helpful_rate"`
}

// Stats returns the answer statistics.
func (s *Service) Stats(ctx context.Context) (*Stats, error) {
	return nil, thutuc.Errorf(thutuc.EUNAVAILABLE, "stats are not implemented yet")
}
