package retrieval_test

import (
	"context"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/ingest/ingesttest"
	"github.com/thutuc/thutuc/postgres/pgtest"
	"github.com/thutuc/thutuc/retrieval"
)

func TestSearchOverCorpus(t *testing.T) {
	db := pgtest.MustOpen(t)
	s := ingesttest.MustIngestCorpus(t, db)
	ctx := context.Background()
	tests := []struct {
		name  string
		q     retrieval.Query
		first string
	}{
		{"accented", retrieval.Query{Text: "Cấp hộ chiếu phổ thông lệ phí bao nhiêu"}, "cap-ho-chieu-pho-thong"},
		{"no diacritics", retrieval.Query{Text: "lam ho chieu het bao nhieu tien"}, "cap-ho-chieu-pho-thong"},
		{"everyday word", retrieval.Query{Text: "so do lan dau can gi"}, "cap-giay-chung-nhan-quyen-su-dung-dat-lan-dau"},
		{"abbreviation", retrieval.Query{Text: "đổi GPLX"}, "doi-giay-phep-lai-xe"},
		{"official code", retrieval.Query{Text: "1.004222"}, "dang-ky-thuong-tru"},
		{"text only", retrieval.Query{Text: "khai tử", Mode: retrieval.ModeText}, "dang-ky-khai-tu"},
		{"vector only", retrieval.Query{Text: "đăng ký khai tử cho người mất", Mode: retrieval.ModeVector}, "dang-ky-khai-tu"},
		{"regulations only", retrieval.Query{Text: "đăng ký thường trú", Filter: thutuc.Filter{Kind: thutuc.KindRegulation}}, "luat-cu-tru-2020"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := s.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Results) == 0 || resp.Results[0].DocumentID != tt.first {
				var got []string
				for _, r := range resp.Results {
					got = append(got, r.DocumentID)
				}
				t.Fatalf("results %v, want %s first", got, tt.first)
			}
			r := resp.Results[0]
			if len(r.Sections) == 0 || r.SourceURL == "" || r.Title == "" {
				t.Errorf("result lacks sections, source or title: %+v", r)
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	db := pgtest.MustOpen(t)
	s := ingesttest.MustIngestCorpus(t, db)
	ctx := context.Background()
	resp, err := s.Search(ctx, retrieval.Query{Text: "điều kiện đăng ký thường trú", K: 10, Filter: thutuc.Filter{Kind: thutuc.KindRegulation}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resp.Results {
		if r.Kind != thutuc.KindRegulation {
			t.Errorf("kind filter let %s (%s) through", r.DocumentID, r.Kind)
		}
		for _, sec := range r.Sections {
			if sec.Section == thutuc.SectionArticle && sec.Article == "" {
				t.Errorf("article section without its number in %s", r.DocumentID)
			}
		}
	}
	resp, err = s.Search(ctx, retrieval.Query{Text: "hộ chiếu", K: 20, Filter: thutuc.Filter{Level: "Cấp tỉnh"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Results) == 0 {
		t.Fatal("no province-level results")
	}
	for _, r := range resp.Results {
		if r.Level == "" || !containsLevel(r.Level, "tỉnh") {
			t.Errorf("level filter let %s (%q) through", r.DocumentID, r.Level)
		}
	}
	resp, err = s.Search(ctx, retrieval.Query{Text: "hộ chiếu", Filter: thutuc.Filter{Field: "không có lĩnh vực này"}})
	if err != nil || len(resp.Results) != 0 {
		t.Errorf("unknown field: %d results, %v", len(resp.Results), err)
	}
}

func containsLevel(level, want string) bool {
	for i := 0; i+len(want) <= len(level); i++ {
		if level[i:i+len(want)] == want {
			return true
		}
	}
	return false
}
