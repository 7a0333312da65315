package chat

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
)

// legalArticles finds the articles of the stored regulations a procedure rests on: first the
// articles the procedure's own text cites ("Điều 20 Luật Cư trú"), then those closest to the
// question and the procedure's title. Only regulations named in the procedure's legal basis
// (by number or title) count.
func (s *Service) legalArticles(ctx context.Context, question string, doc docInfo, ps []passage, locality, audience string) ([]passage, error) {
	var legal, all strings.Builder
	for _, p := range ps {
		if p.section == thutuc.SectionLegalBasis {
			legal.WriteString(p.text + "\n")
		}
		all.WriteString(p.text + "\n")
	}
	if legal.Len() == 0 {
		return nil, nil
	}
	limit := 2
	if audience == AudienceOfficer {
		limit = 4
	}
	resp, err := s.cfg.Searcher.Search(ctx, retrieval.Query{
		Text: questionForSearch(question) + " " + doc.title, K: 3, Sections: limit,
		Filter: thutuc.Filter{Kind: thutuc.KindRegulation, Locality: locality},
	})
	if err != nil {
		return nil, fmt.Errorf("search the legal basis of %s: %w", doc.id, err)
	}
	var out []passage
	seen := map[int64]bool{}
	add := func(p passage) {
		if !seen[p.chunkID] && len(out) < limit {
			seen[p.chunkID] = true
			out = append(out, p)
		}
	}
	for _, r := range resp.Results {
		if !referencedIn(legal.String(), r) {
			continue
		}
		cited, err := s.citedArticles(ctx, r, all.String())
		if err != nil {
			return nil, err
		}
		for _, p := range cited {
			add(p)
		}
		for _, sec := range r.Sections {
			if sec.Article != "" {
				add(passageFromSearch(r, sec))
			}
		}
	}
	return out, nil
}

// articleRef matches "Điều 20 Luật Cư trú", "khoản 2 Điều 20 của Luật Cư trú".
var articleRef = regexp.MustCompile(`(?i)điều (\d+)(?: của)? (luật[\p{L} ]*)`)

// citedArticles returns the articles of regulation r that text cites by number and title.
func (s *Service) citedArticles(ctx context.Context, r thutuc.SearchResult, text string) ([]passage, error) {
	title := trailingYear.ReplaceAllString(vntext.Key(r.Title), "")
	want := map[string]bool{}
	var order []string
	for _, m := range articleRef.FindAllStringSubmatch(text, -1) {
		if strings.HasPrefix(vntext.Key(m[2]), title) && !want[m[1]] {
			want[m[1]] = true
			order = append(order, m[1])
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	views, err := s.cfg.DB.DocumentChunks(ctx, r.DocumentID, []string{thutuc.SectionArticle})
	if err != nil {
		return nil, fmt.Errorf("load articles of %s: %w", r.DocumentID, err)
	}
	byArticle := map[string]passage{}
	for _, v := range views {
		if _, ok := byArticle[v.Article]; !ok && want[v.Article] {
			byArticle[v.Article] = passageFromView(v)
		}
	}
	var out []passage
	for _, a := range order {
		if p, ok := byArticle[a]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

var trailingYear = regexp.MustCompile(`\s+(19|20)\d\d$`)

// referencedIn reports whether a legal basis text names a regulation, by its number
// (68/2020/QH14) or its title without the year (Luật Cư trú).
func referencedIn(legal string, r thutuc.SearchResult) bool {
	if r.Code != "" && strings.Contains(legal, r.Code) {
		return true
	}
	title := trailingYear.ReplaceAllString(vntext.Key(r.Title), "")
	return len(title) >= 8 && strings.Contains(vntext.Key(legal), title)
}

// questionForSearch bounds the question searched with the procedure's title.
func questionForSearch(q string) string {
	if r := []rune(q); len(r) > 600 {
		return string(r[:600])
	}
	return strings.TrimSpace(q)
}
