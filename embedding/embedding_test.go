package embedding

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func TestHashingDeterministicAndNormalised(t *testing.T) {
	h := NewHashing(256)
	a := h.Vector("Cấp hộ chiếu phổ thông")
	b := h.Vector("Cấp hộ chiếu phổ thông")
	if len(a) != 256 {
		t.Fatalf("dim = %d, want 256", len(a))
	}
	var n float64
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("not deterministic at %d", i)
		}
		n += float64(a[i]) * float64(a[i])
	}
	if math.Abs(n-1) > 1e-5 {
		t.Errorf("norm² = %v, want 1", n)
	}
	for i, x := range h.Vector("!!!") {
		if x != 0 {
			t.Fatalf("text without words: component %d = %v, want the zero vector", i, x)
		}
	}
}

func TestHashingSimilarity(t *testing.T) {
	h := NewHashing(512)
	doc := h.Vector("Cấp hộ chiếu phổ thông ở trong nước. Lệ phí 200.000 đồng.")
	tests := []struct {
		name, near, far string
	}{
		{"accented", "làm hộ chiếu hết bao nhiêu tiền", "đăng ký khai tử cho người mất"},
		{"no diacritics", "lam ho chieu het bao nhieu tien", "dang ky khai tu cho nguoi mat"},
		{"tone placement", "hộ chiếu phổ thông", "thủy lợi hòa bình"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near, far := cosine(doc, h.Vector(tt.near)), cosine(doc, h.Vector(tt.far))
			if near <= far {
				t.Errorf("cos(doc, %q) = %.3f <= cos(doc, %q) = %.3f", tt.near, near, tt.far, far)
			}
		})
	}
	if a, b := h.Vector("hoà giải"), h.Vector("hòa giải"); cosine(a, b) < 0.999 {
		t.Errorf("tone placement variants differ: cos = %.3f", cosine(a, b))
	}
}

// openAIServer speaks the /v1/embeddings wire format and counts requests.
func openAIServer(t *testing.T, dim int, calls *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/embeddings" {
			http.NotFound(w, r)
			return
		}
		calls.Add(1)
		var req struct {
			Input []string `json:"input"`
			Model string   `json:"model"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if req.Model != "test-embed" {
			http.Error(w, "bad model "+req.Model, 400)
			return
		}
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		resp := struct {
			Object string `json:"object"`
			Data   []item `json:"data"`
			Model  string `json:"model"`
		}{Object: "list", Model: req.Model}
		for i, in := range req.Input {
			v := make([]float32, dim)
			v[len(in)%dim] = 1
			resp.Data = append(resp.Data, item{"embedding", i, v})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(resp)
	}))
}

func TestOpenAIEmbedder(t *testing.T) {
	var calls atomic.Int32
	srv := openAIServer(t, 8, &calls)
	defer srv.Close()
	e, err := New(Config{Provider: "openai", BaseURL: srv.URL + "/v1", Model: "test-embed", BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if e.Name() != "openai:test-embed" {
		t.Errorf("Name = %q", e.Name())
	}
	vs, err := e.EmbedDocuments(context.Background(), []string{"a", "bb", "ccc"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || len(vs[0]) != 8 || vs[1][2] != 1 {
		t.Errorf("unexpected vectors %v", vs)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("requests = %d, want 2 (batches of 2)", got)
	}
	if d, err := Dim(context.Background(), e); err != nil || d != 8 {
		t.Errorf("Dim = %d, %v", d, err)
	}
}

func TestOllamaEmbedderBatches(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/embed" {
			http.NotFound(w, r)
			return
		}
		calls.Add(1)
		var req ollamaEmbedRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "nomic" {
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]string{"error": "bad request"})
			return
		}
		out := ollamaEmbedResponse{}
		for range req.Input {
			out.Embeddings = append(out.Embeddings, []float32{0.6, 0.8})
		}
		json.NewEncoder(w).Encode(out)
	}))
	defer srv.Close()
	e, err := New(Config{Provider: "ollama", BaseURL: srv.URL, Model: "nomic", BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, 25)
	for i := range texts {
		texts[i] = "văn bản"
	}
	vs, err := e.EmbedDocuments(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 25 {
		t.Fatalf("got %d vectors", len(vs))
	}
	if got := calls.Load(); got != 3 {
		t.Errorf("requests = %d, want 3 (batched)", got)
	}

	bad, _ := New(Config{Provider: "ollama", BaseURL: srv.URL, Model: "other"})
	if _, err := bad.EmbedQuery(context.Background(), "x"); err == nil {
		t.Error("want error for a model the server rejects")
	}
}

func TestNewRejectsUnknown(t *testing.T) {
	for _, cfg := range []Config{{Provider: "word2vec"}, {Provider: "openai"}, {Provider: "ollama"}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v): want error", cfg)
		}
	}
}
