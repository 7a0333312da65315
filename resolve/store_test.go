package resolve

import (
	"context"
	"testing"

	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
)

// Over the bundled corpus: a question naming a procedure is answered, a follow-up stays on
// the conversation's procedure, a follow-up with nothing before it and a question about an
// uncovered sector are not answered.
func TestResolveOverCorpus(t *testing.T) {
	db := pgtest.MustOpen(t)
	s := ingesttest.MustIngestCorpus(t, db)
	r, err := New(s, db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name, text, current string
		decision, best      string
		topic               string
	}{
		{"names a procedure", "làm hộ chiếu cần giấy tờ gì", "", Answer, "cap-ho-chieu-pho-thong", ""},
		{"no diacritics", "lam ho chieu het bao nhieu tien", "", Answer, "cap-ho-chieu-pho-thong", ""},
		{"named only as the knowledge base names it", "nha co khach o qua dem co phai bao cong an khong", "", Answer, "thong-bao-luu-tru", ""},
		{"follow-up", "nộp online được không?", "cap-ho-chieu-pho-thong", Answer, "cap-ho-chieu-pho-thong", ""},
		{"follow-up with nothing before", "nộp online được không?", "", None, "", ""},
		{"uncovered sector", "đăng ký cho con vào lớp 1 cần giấy tờ gì", "", None, "", "giao-duc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Resolve(ctx, Query{Text: tt.text, Current: tt.current})
			if err != nil {
				t.Fatal(err)
			}
			best := ""
			if b := res.Best(); b != nil && res.Decision == Answer {
				best = b.ID()
			}
			if res.Decision != tt.decision || best != tt.best {
				t.Fatalf("decision %s %s (P none %.2f), want %s %s", res.Decision, best, res.None, tt.decision, tt.best)
			}
			if tt.topic != "" && (res.Topic == nil || res.Topic.Key != tt.topic) {
				t.Errorf("topic %+v, want %s", res.Topic, tt.topic)
			}
		})
	}
}
