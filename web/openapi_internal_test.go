package web

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

// openAPI is the part of an OpenAPI document the check reads.
type openAPI struct {
	Paths      map[string]map[string]operation `json:"paths"`
	Components struct {
		Schemas   map[string]json.RawMessage `json:"schemas"`
		Responses map[string]struct {
			Content map[string]struct {
				Schema json.RawMessage `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"components"`
}

type operation struct {
	RequestBody struct {
		Content map[string]struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Ref     string `json:"$ref"`
		Content map[string]struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

// schema is the subset of JSON Schema the check understands.
type schema struct {
	Ref                  string                     `json:"$ref"`
	Type                 any                        `json:"type"`
	Required             []string                   `json:"required"`
	Properties           map[string]json.RawMessage `json:"properties"`
	AdditionalProperties json.RawMessage            `json:"additionalProperties"`
	Items                json.RawMessage            `json:"items"`
	Enum                 []any                      `json:"enum"`
}

func (d *openAPI) check(raw json.RawMessage, v any, at string) error {
	var s schema
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("%s: bad schema: %w", at, err)
	}
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		ref, ok := d.Components.Schemas[name]
		if !ok {
			return fmt.Errorf("%s: no schema %s", at, s.Ref)
		}
		return d.check(ref, v, at)
	}
	if s.Type != nil {
		var types []string
		switch t := s.Type.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		if !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
			return fmt.Errorf("%s: %s, want %v", at, jsonType(v), types)
		}
	}
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, v) {
		return fmt.Errorf("%s: %v not in %v", at, v, s.Enum)
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := x[r]; !ok {
				return fmt.Errorf("%s: lacks %q", at, r)
			}
		}
		for k, val := range x {
			if p, ok := s.Properties[k]; ok {
				if err := d.check(p, val, at+"."+k); err != nil {
					return err
				}
				continue
			}
			switch a := strings.TrimSpace(string(s.AdditionalProperties)); {
			case a == "false":
				return fmt.Errorf("%s: property %q not described", at, k)
			case a != "" && a != "true":
				if err := d.check(s.AdditionalProperties, val, at+"."+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if len(s.Items) > 0 {
			for i, val := range x {
				if err := d.check(s.Items, val, at+"["+strconv.Itoa(i)+"]"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// responseSchema returns the schema of an operation's response with that status.
func (d *openAPI) responseSchema(path, method string, status int) (json.RawMessage, error) {
	op, ok := d.Paths[path][strings.ToLower(method)]
	if !ok {
		return nil, fmt.Errorf("%s %s is not described", method, path)
	}
	r, ok := op.Responses[strconv.Itoa(status)]
	if !ok {
		return nil, fmt.Errorf("%s %s: status %d is not described", method, path, status)
	}
	if r.Ref != "" {
		ref := d.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")]
		return ref.Content["application/json"].Schema, nil
	}
	return r.Content["application/json"].Schema, nil
}

// Every /v1 route is described, and real responses — answers and errors — match their
// descriptions, as the requests sent match theirs.
func TestOpenAPIDescribesRealResponses(t *testing.T) {
	db := pgtest.MustOpen(t)
	searcher := ingesttest.MustIngestCorpus(t, db)
	svc := chat.New(chat.Config{Searcher: searcher, DB: db})
	srv := New(Config{ChatPerMinute: 3, SearchPerMinute: -1}, db, searcher, svc, nil)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/openapi.json", nil))
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("/openapi.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var doc openAPI
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.engine.Routes() {
		if strings.HasPrefix(r.Path, "/v1/") {
			p := r.Path
			if i := strings.Index(p, ":"); i >= 0 {
				p = p[:i] + "{" + p[i+1:] + "}"
			}
			if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
				t.Errorf("%s %s is not described", r.Method, r.Path)
			}
		}
	}
	send := func(method, path, pattern, body string, header map[string]string) map[string]any {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, path, rd)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		// A request that succeeded must be one the description allows.
		if body != "" && w.Code < 300 {
			op := doc.Paths[pattern][strings.ToLower(method)]
			var sent any
			if err := json.Unmarshal([]byte(body), &sent); err == nil {
				if err := doc.check(op.RequestBody.Content["application/json"].Schema, sent, "request"); err != nil {
					t.Errorf("%s %s: the request sent is not as described: %v", method, path, err)
				}
			}
		}
		var got any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Errorf("%s %s: %d, not JSON: %v", method, path, w.Code, err)
			return nil
		}
		s, err := doc.responseSchema(pattern, method, w.Code)
		if err != nil {
			t.Errorf("%v (body %.200s)", err, w.Body.String())
			return nil
		}
		if err := doc.check(s, got, fmt.Sprintf("%s %s %d", method, path, w.Code)); err != nil {
			t.Error(err)
		}
		m, _ := got.(map[string]any)
		return m
	}
	send("POST", "/v1/search", "/v1/search", `{"query": "làm hộ chiếu hết bao nhiêu tiền", "k": 3}`, nil)
	send("POST", "/v1/search", "/v1/search", `{"query": "luật cư trú", "mode": "text", "filters": {"kind": "regulation"}}`, nil)
	send("POST", "/v1/search", "/v1/search", `{"query": ""}`, nil)
	send("POST", "/v1/search", "/v1/search", `{"query": "x"}`, map[string]string{"Content-Type": "text/plain"})
	send("GET", "/v1/documents?kind=procedure&limit=5", "/v1/documents", "", nil)
	send("GET", "/v1/documents?limit=0", "/v1/documents", "", nil)
	send("GET", "/v1/documents/cap-ho-chieu-pho-thong", "/v1/documents/{id}", "", nil)
	send("GET", "/v1/documents/luat-cu-tru-2020", "/v1/documents/{id}", "", nil)
	send("GET", "/v1/documents/no-such-document", "/v1/documents/{id}", "", nil)
	send("GET", "/v1/facets", "/v1/facets", "", nil)
	first := send("POST", "/v1/chat", "/v1/chat", `{"message": "làm hộ chiếu cần giấy tờ gì", "audience": "citizen"}`, nil)
	send("POST", "/v1/chat", "/v1/chat", `{"message": "làm lại căn cước"}`, nil)
	send("POST", "/v1/chat", "/v1/chat", `{"message": ""}`, nil)
	send("POST", "/v1/chat", "/v1/chat", `{"message": "hỏi nhanh"}`, nil) // past the limit: 429
	if first != nil {
		cid, mid := first["conversation_id"].(string), first["message_id"].(string)
		send("POST", "/v1/feedback", "/v1/feedback", fmt.Sprintf(`{"conversation_id": %q, "message_id": %q, "helpful": true, "comment": "rõ ràng"}`, cid, mid), nil)
		send("POST", "/v1/feedback", "/v1/feedback", fmt.Sprintf(`{"conversation_id": %q, "message_id": "nope", "helpful": true}`, cid), nil)
		send("POST", "/v1/feedback", "/v1/feedback", fmt.Sprintf(`{"message_id": %q, "helpful": true}`, mid), nil)
	}
	send("GET", "/v1/stats", "/v1/stats", "", nil)
}
