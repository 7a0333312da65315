package web_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/web"
)

// FuzzHandlers sends arbitrary text as every text input of the API and the lookup page — a
// search query and filter, a chat message, a feedback comment, a document id, a lookup query
// and filter — and fails on any 5xx: bad bytes are the client's error (400 naming the
// field), never the server's.
func FuzzHandlers(f *testing.F) {
	for _, seed := range []string{"hộ chiếu", "\x00", "a\x00b", "\xff\xfe", "%00", "\u0000 làm hộ chiếu", "'; drop table documents; --", ""} {
		f.Add(seed)
	}
	db := pgtest.MustOpen(f)
	searcher := ingesttest.MustIngestCorpus(f, db)
	srv := web.New(web.Config{ChatPerMinute: -1}, db, searcher, chat.New(chat.Config{Searcher: searcher, DB: db}), nil)
	f.Fuzz(func(t *testing.T, s string) {
		q, _ := json.Marshal(s)
		for _, r := range []struct{ method, path, body string }{
			{"POST", "/v1/search", `{"query": ` + string(q) + `}`},
			{"POST", "/v1/search", `{"query": "hộ chiếu", "filters": {"agency": ` + string(q) + `}}`},
			{"POST", "/v1/chat", `{"message": ` + string(q) + `}`},
			{"POST", "/v1/feedback", `{"message_id": ` + string(q) + `, "helpful": true, "comment": ` + string(q) + `}`},
			{"GET", "/v1/documents/" + url.PathEscape(s), ""},
			{"GET", "/v1/documents?agency=" + url.QueryEscape(s), ""},
			{"GET", "/tra-cuu?q=" + url.QueryEscape(s) + "&field=" + url.QueryEscape(s), ""},
		} {
			if w := do(t, srv, r.method, r.path, r.body, nil); w.Code >= 500 {
				t.Errorf("%s %s %q: %d %s", r.method, r.path, r.body, w.Code, w.Body.String())
			}
		}
	})
}
