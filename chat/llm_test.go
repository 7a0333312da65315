package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thutuc/thutuc/prompts"
)

// The LLM path is tested against local servers speaking the real wire formats: OpenAI's
// /v1/chat/completions with server-sent events, and Ollama's /api/chat with NDJSON.

// script decides what the fake model answers to a prompt: the pieces it streams and the pause
// before each.
type script func(prompt string) (pieces []string, pause time.Duration)

// sourceWith returns the number of the source in the prompt whose quote contains s.
func sourceWith(prompt, s string) int {
	re := regexp.MustCompile(`\[(\d+)\] [^«\n]*«([^»]*)»`)
	for _, m := range re.FindAllStringSubmatch(prompt, -1) {
		if strings.Contains(m[2], s) {
			var n int
			fmt.Sscan(m[1], &n)
			return n
		}
	}
	return 0
}

// promptText collects the strings of a JSON request body (the messages' contents).
func promptText(body []byte) string {
	var v any
	json.Unmarshal(body, &v)
	var b strings.Builder
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case string:
			b.WriteString(t + "\n")
		case []any:
			for _, e := range t {
				walk(e)
			}
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

// openAIServer streams the script's pieces as chat.completion.chunk events.
func openAIServer(t *testing.T, sc script, calls *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") == "" {
			http.Error(w, `{"error":{"message":"not found"}}`, http.StatusNotFound)
			return
		}
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Model  string `json:"model"`
			Stream bool   `json:"stream"`
		}
		json.Unmarshal(body, &req)
		pieces, pause := sc(promptText(body))
		if !req.Stream {
			time.Sleep(pause)
			json.NewEncoder(w).Encode(map[string]any{"id": "c1", "object": "chat.completion", "model": req.Model,
				"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": strings.Join(pieces, "")}, "finish_reason": "stop"}}})
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		send := func(delta map[string]any, finish any) bool {
			b, _ := json.Marshal(map[string]any{"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": req.Model,
				"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}})
			if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
				return false
			}
			fl.Flush()
			return true
		}
		send(map[string]any{"role": "assistant", "content": ""}, nil) // an empty first chunk, as real servers send
		for _, p := range pieces {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(pause):
			}
			if !send(map[string]any{"content": p}, nil) {
				return
			}
		}
		send(map[string]any{}, "stop")
		fmt.Fprint(w, "data: [DONE]\n\n")
		fl.Flush()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// ollamaServer streams the script's pieces as /api/chat NDJSON lines.
func ollamaServer(t *testing.T, sc script, calls *atomic.Int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/chat" {
			http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
			return
		}
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		var req struct {
			Model  string `json:"model"`
			Stream *bool  `json:"stream"`
		}
		json.Unmarshal(body, &req)
		pieces, pause := sc(promptText(body))
		w.Header().Set("Content-Type", "application/x-ndjson")
		fl := w.(http.Flusher)
		line := func(content string, done bool) bool {
			m := map[string]any{"model": req.Model, "created_at": "2025-07-01T00:00:00Z",
				"message": map[string]any{"role": "assistant", "content": content}, "done": done}
			if done {
				m["done_reason"], m["total_duration"], m["eval_count"], m["prompt_eval_count"] = "stop", 1000, len(pieces), 100
			}
			b, _ := json.Marshal(m)
			if _, err := fmt.Fprintf(w, "%s\n", b); err != nil {
				return false
			}
			fl.Flush()
			return true
		}
		if req.Stream != nil && !*req.Stream {
			time.Sleep(pause)
			line(strings.Join(pieces, ""), true)
			return
		}
		for _, p := range pieces {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(pause):
			}
			if !line(p, false) {
				return
			}
		}
		line("", true)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// providers builds a generator of each provider against a fake server running sc.
func providers(t *testing.T, sc script, timeout time.Duration) map[string]struct {
	gen   Generator
	calls *atomic.Int32
} {
	out := map[string]struct {
		gen   Generator
		calls *atomic.Int32
	}{}
	for _, p := range []string{"openai", "ollama"} {
		calls := &atomic.Int32{}
		var cfg LLMConfig
		switch p {
		case "openai":
			cfg = LLMConfig{Provider: p, BaseURL: openAIServer(t, sc, calls).URL + "/v1", Model: "test-model", APIKey: "k", Timeout: timeout}
		case "ollama":
			cfg = LLMConfig{Provider: p, BaseURL: ollamaServer(t, sc, calls).URL, Model: "test-model", Timeout: timeout}
		}
		gen, err := NewGenerator(cfg)
		if err != nil {
			t.Fatalf("NewGenerator(%s): %v", p, err)
		}
		out[p] = struct {
			gen   Generator
			calls *atomic.Int32
		}{gen, calls}
	}
	return out
}

// split cuts an answer into a few streamed pieces.
func split(s string) []string {
	var out []string
	r := []rune(s)
	for len(r) > 12 {
		out = append(out, string(r[:12]))
		r = r[12:]
	}
	return append(out, string(r))
}

const feeQuestion = "Lệ phí làm hộ chiếu là bao nhiêu?"

func TestLLMAnswers(t *testing.T) {
	system, err := prompts.System()
	if err != nil {
		t.Fatal(err)
	}
	good := func(p string) string {
		return fmt.Sprintf("Nộp trực tiếp, lệ phí là **200.000 đồng/hộ chiếu** [%d].\n\n- Nộp trực tuyến: 160.000 đồng/hộ chiếu [%d].",
			sourceWith(p, "200.000"), sourceWith(p, "160.000"))
	}
	tests := []struct {
		name     string
		answer   func(prompt string) string
		accepted bool
	}{
		{"good answer", good, true},
		{"hallucinated fee", func(p string) string {
			return fmt.Sprintf("Lệ phí là 150.000 đồng/hộ chiếu [%d].", sourceWith(p, "200.000"))
		}, false},
		{"wrong marker", func(string) string { return "Lệ phí là 200.000 đồng/hộ chiếu [9]." }, false},
		{"no citation", func(string) string { return "Lệ phí khoảng hai trăm nghìn đồng." }, false},
		{"leaks the system prompt", func(p string) string {
			return strings.SplitN(system, "\n", 2)[0] + fmt.Sprintf(" [%d]", sourceWith(p, "200.000"))
		}, false},
	}
	for _, tt := range tests {
		sc := func(prompt string) ([]string, time.Duration) { return split(tt.answer(prompt)), time.Millisecond }
		for provider, p := range providers(t, sc, 10*time.Second) {
			t.Run(tt.name+"/"+provider, func(t *testing.T) {
				svc := corpusService(t, p.gen)
				var meta Meta
				var streamed strings.Builder
				var done *Response
				resp, err := svc.Answer(context.Background(), Request{Message: feeQuestion}, func(ev Event) error {
					switch d := ev.Data.(type) {
					case Meta:
						meta = d
					case Delta:
						streamed.WriteString(d.Text)
					case *Response:
						done = d
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if p.calls.Load() != 1 || meta.Generator != "llm:test-model" || done != resp {
					t.Fatalf("calls %d, meta generator %q, done %v", p.calls.Load(), meta.Generator, done != nil)
				}
				if streamed.String() == "" {
					t.Errorf("nothing streamed")
				}
				if tt.accepted {
					if resp.Generator != "llm:test-model" || resp.Answer != strings.TrimSpace(streamed.String()) {
						t.Errorf("generator %q, answer %q, streamed %q", resp.Generator, resp.Answer, streamed.String())
					}
					// Both fees stand in one passage: one citation, cited twice.
					if len(resp.Citations) != 1 || !strings.Contains(resp.AnswerHTML, `href="#cite-`) {
						t.Errorf("citations %+v, html %s", resp.Citations, resp.AnswerHTML)
					}
					return
				}
				// Rejected: the done answer replaces what was streamed.
				if resp.Generator != GeneratorExtractive || !strings.Contains(resp.Answer, "200.000 đồng/hộ chiếu") ||
					strings.Contains(resp.Answer, "150.000") || strings.Contains(resp.Answer, "[9]") {
					t.Errorf("rejected answer not replaced: %s\n%s", resp.Generator, resp.Answer)
				}
				if w := leakedLine(resp.Answer, system); w != "" {
					t.Errorf("answer leaks %q", w)
				}
				db, _ := corpusStore(t)
				checkGrounded(t, db, resp)
			})
		}
	}
}

func TestLLMWithoutStreaming(t *testing.T) {
	sc := func(p string) ([]string, time.Duration) {
		return []string{fmt.Sprintf("Lệ phí nộp trực tiếp: 200.000 đồng/hộ chiếu [%d].", sourceWith(p, "200.000"))}, 0
	}
	for provider, p := range providers(t, sc, 10*time.Second) {
		svc := corpusService(t, p.gen)
		resp := ask(t, svc, Request{Message: feeQuestion})
		if resp.Generator != "llm:test-model" || !strings.Contains(resp.Answer, "200.000") {
			t.Errorf("%s: %s %q", provider, resp.Generator, resp.Answer)
		}
	}
}

func TestLLMTimeoutFallsBack(t *testing.T) {
	// The model pauses longer than the time limit before each piece.
	sc := func(p string) ([]string, time.Duration) {
		return split("Lệ phí là 200.000 đồng [1]."), 3 * time.Second
	}
	for provider, p := range providers(t, sc, 300*time.Millisecond) {
		t.Run(provider, func(t *testing.T) {
			svc := corpusService(t, p.gen)
			var deltas int
			start := time.Now()
			resp, err := svc.Answer(context.Background(), Request{Message: feeQuestion}, func(ev Event) error {
				if ev.Name == EventDelta {
					deltas++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("answer took %s with a 300ms time limit", d)
			}
			if resp.Generator != GeneratorExtractive || !strings.Contains(resp.Answer, "200.000 đồng/hộ chiếu") || deltas == 0 {
				t.Errorf("fallback: %s, %d deltas\n%s", resp.Generator, deltas, resp.Answer)
			}
		})
	}
}

func TestLLMServerErrorFallsBack(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"message":"overloaded"}}`, http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	gen, err := NewGenerator(LLMConfig{Provider: "openai", BaseURL: srv.URL + "/v1", Model: "m", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	resp := ask(t, corpusService(t, gen), Request{Message: feeQuestion})
	if resp.Generator != GeneratorExtractive || resp.Status != StatusAnswered {
		t.Errorf("%s %s", resp.Status, resp.Generator)
	}
}

func TestLLMClientDisconnect(t *testing.T) {
	sc := func(p string) ([]string, time.Duration) {
		return split(strings.Repeat("Lệ phí là 200.000 đồng/hộ chiếu [1]. ", 20)), 50 * time.Millisecond
	}
	for provider, p := range providers(t, sc, 30*time.Second) {
		t.Run(provider, func(t *testing.T) {
			svc := corpusService(t, p.gen)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var convID string
			var cancelled time.Time
			_, err := svc.Answer(ctx, Request{Message: feeQuestion}, func(ev Event) error {
				switch d := ev.Data.(type) {
				case Meta:
					convID = d.ConversationID
				case Delta:
					if cancelled.IsZero() {
						cancelled = time.Now()
						cancel() // the client goes away after the first piece
					}
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if d := time.Since(cancelled); d > time.Second {
				t.Errorf("Answer returned %s after the cancellation", d)
			}
			db, _ := corpusStore(t)
			if msgs, err := db.Messages(context.Background(), convID, 10); err != nil || len(msgs) != 0 {
				t.Errorf("stored %d messages of a cancelled answer (%v)", len(msgs), err)
			}
			if _, err := db.Conversation(context.Background(), convID); err == nil {
				t.Errorf("stored the conversation of a cancelled answer")
			}
		})
	}
}

func TestLLMRewritesFollowUps(t *testing.T) {
	var rewrites atomic.Int32
	sc := func(p string) ([]string, time.Duration) {
		if strings.Contains(p, "Câu hỏi đầy đủ:") {
			rewrites.Add(1)
			return []string{"Lệ phí cấp hộ chiếu phổ thông là bao nhiêu?"}, 0
		}
		if n := sourceWith(p, "200.000"); n > 0 {
			return split(fmt.Sprintf("Lệ phí nộp trực tiếp là 200.000 đồng/hộ chiếu [%d].", n)), 0
		}
		n := sourceWith(p, "TK01")
		return split(fmt.Sprintf("Cần tờ khai mẫu TK01 [%d].", n)), 0
	}
	p := providers(t, sc, 10*time.Second)["openai"]
	svc := corpusService(t, p.gen)
	first := ask(t, svc, Request{Message: "làm hộ chiếu cần giấy tờ gì"})
	if first.Generator != "llm:test-model" {
		t.Fatalf("first answer: %s\n%s", first.Generator, first.Answer)
	}
	resp := ask(t, svc, Request{Message: "thế còn cái khoản phải nộp thì sao", ConversationID: first.ConversationID})
	if rewrites.Load() != 1 {
		t.Errorf("%d rewrites, want 1", rewrites.Load())
	}
	if resp.Procedure == nil || resp.Procedure.ID != "cap-ho-chieu-pho-thong" || !contains(resp.Intents, IntentFees) ||
		!strings.Contains(resp.Answer, "200.000") {
		t.Errorf("rewritten follow-up: %s %v\n%s", describe(resp), resp.Intents, resp.Answer)
	}
}

func TestNewGenerator(t *testing.T) {
	if g, err := NewGenerator(LLMConfig{Provider: "none"}); g != nil || err != nil {
		t.Errorf("none: %v, %v", g, err)
	}
	if g, err := NewGenerator(LLMConfig{}); g != nil || err != nil {
		t.Errorf("empty: %v, %v", g, err)
	}
	for _, cfg := range []LLMConfig{{Provider: "gpt"}, {Provider: "openai"}} {
		if _, err := NewGenerator(cfg); err == nil {
			t.Errorf("NewGenerator(%+v) accepted", cfg)
		}
	}
}
