package web

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/retrieval"
	"github.com/thutuc/thutuc/vntext"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// lookupPage is the officer's search page: a query, filters and results. It is rendered on the
// server from the query string, so it works without JavaScript and every search has a URL.
type lookupPage struct {
	Q        string
	Filter   thutuc.Filter
	Filters  []selectField
	Searched bool // a query was given (else the page lists documents)
	Results  []lookupResult
	Total    int    // results of the search, or documents of the list, over all pages
	Capped   bool   // the search returned its most results: there may be more
	Unit     string // what Total counts: kết quả, thủ tục, văn bản, tài liệu
	Pager    pager
	Error    string
}

// pager is the page of a lookup and the links to the others, which keep the query and filters.
type pager struct {
	Page, Pages int
	Prev, Next  string // URLs, "" at the ends
	Links       []pageLink
}

// pageLink is a numbered page link; Gap stands for pages left out.
type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// selectField is one filter menu.
type selectField struct {
	Name, Label string
	Options     []selectOption
}

type selectOption struct {
	Value, Label string
	Count        int
	Selected     bool
}

type lookupResult struct {
	ID, Title, Code, Kind, Level, Agency, URL string
	Snippets                                  []snippet
}

// snippet is one matching section of a result, with the query's words marked.
type snippet struct {
	Label, URL string
	Parts      []textPart
}

type textPart struct {
	Text string
	Hit  bool
}

// maxLookupResults bounds the results of one search: the most the searcher returns. They are
// shown lookupPageSize to a page.
const maxLookupResults = 50

// lookupPageSize is the number of results on one page of the lookup.
const lookupPageSize = 20

// maxLookupPage bounds the page number a lookup accepts.
const maxLookupPage = 10000

func (s *Server) handleLookup(c *gin.Context) {
	ctx := c.Request.Context()
	p := lookupPage{
		Q: strings.TrimSpace(c.Query("q")),
		Filter: thutuc.Filter{Kind: c.Query("kind"), Level: c.Query("level"),
			Field: c.Query("field"), Agency: c.Query("agency")},
		Pager: pager{Page: 1},
	}
	status := http.StatusOK
	facets, err := s.db.Facets(ctx)
	if err != nil {
		s.pageError(c, err)
		return
	}
	stored, err := s.db.LevelNames(ctx)
	if err != nil {
		s.pageError(c, err)
		return
	}
	p.Filters = filterMenus(facets, p.Filter, stored)
	err = parsePage(c.Query("page"), &p.Pager.Page)
	if err == nil {
		err = s.lookup(ctx, &p)
	}
	if err != nil {
		if code := thutuc.ErrorCode(err); code != thutuc.EINVALID {
			s.pageError(c, err)
			return
		}
		status, p.Error = http.StatusBadRequest, thutuc.ErrorMessage(err)
	}
	p.Pager = pageLinks(c.Request.URL.Query(), p.Pager.Page, p.Total)
	title := "Tra cứu thủ tục hành chính"
	if p.Q != "" {
		title = p.Q + " — " + title
	}
	s.render(c, status, "lookup", page{Title: title, Description: "Tra cứu nhanh thủ tục hành chính và văn bản pháp luật, kèm nguồn.", Data: p})
}

// parsePage reads the page number of a lookup ("" is the first page).
func parsePage(v string, page *int) error {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLookupPage {
		return thutuc.Errorf(thutuc.EINVALID, "Số trang phải là số nguyên từ 1 đến %d.", maxLookupPage)
	}
	*page = n
	return nil
}

// lookup fills p's results for its page: a search when there is a query, else the filtered
// list.
func (s *Server) lookup(ctx context.Context, p *lookupPage) error {
	if p.Filter.Kind != "" && p.Filter.Kind != thutuc.KindProcedure && p.Filter.Kind != thutuc.KindRegulation {
		return thutuc.Errorf(thutuc.EINVALID, "Loại tài liệu phải là thủ tục hoặc văn bản.")
	}
	offset := (p.Pager.Page - 1) * lookupPageSize
	if p.Q == "" {
		p.Unit = map[string]string{thutuc.KindProcedure: "thủ tục", thutuc.KindRegulation: "văn bản"}[p.Filter.Kind]
		if p.Unit == "" {
			p.Unit = "tài liệu"
		}
		docs, total, err := s.db.Documents(ctx, postgres.DocumentFilter{Filter: p.Filter, Offset: offset, Limit: lookupPageSize})
		if err != nil {
			return err
		}
		p.Total = total
		for _, d := range docs {
			p.Results = append(p.Results, summaryResult(d))
		}
		return nil
	}
	p.Searched, p.Unit = true, "kết quả"
	codes, onlyCodes := queryCodes(p.Q)
	var coded []thutuc.DocumentSummary
	if len(codes) > 0 {
		f := postgres.DocumentFilter{Filter: p.Filter, Codes: codes, Limit: maxLookupResults}
		if onlyCodes {
			f.Offset, f.Limit = offset, lookupPageSize
		}
		docs, total, err := s.db.Documents(ctx, f)
		if err != nil {
			return err
		}
		if onlyCodes && total > 0 {
			// The query is just codes that documents have: those documents, at all their
			// levels, and nothing else.
			p.Total = total
			for _, d := range docs {
				p.Results = append(p.Results, summaryResult(d))
			}
			return nil
		}
		coded = docs
	}
	resp, err := s.searcher.Search(ctx, retrieval.Query{Text: p.Q, K: maxLookupResults, Filter: p.Filter})
	if err != nil {
		return err
	}
	results := codesFirst(resolve.OnePerCode(resp.Results), resp.Results, coded)
	p.Total, p.Capped = len(results), len(resp.Results) >= maxLookupResults
	phrases := queryPhrases(p.Q, resp)
	for _, r := range results[min(offset, len(results)):min(offset+lookupPageSize, len(results))] {
		res := lookupResult{ID: r.DocumentID, Title: r.Title, Code: r.Code, Kind: kindNames[r.Kind], Level: r.Level, URL: "/tra-cuu/" + r.DocumentID}
		for _, sec := range r.Sections {
			res.Snippets = append(res.Snippets, snippet{
				Label: sectionLabel(sec.Section, sec.Article, sec.Heading),
				URL:   res.URL + "#" + sectionAnchor(sec.Section, sec.Article, sec.Heading),
				Parts: highlight(clip(markdownText(sec.Text), 280), phrases),
			})
		}
		p.Results = append(p.Results, res)
	}
	return nil
}

// officialCode is a procedure's code (1.000894) or a regulation's number and symbol
// (68/2020/QH14, 07/2023/NQ-HĐND), upper case.
var officialCode = regexp.MustCompile(`^(?:\d{1,2}\.\d{6}|` + regulationSymbolPattern + `)$`)

// codeWords are the words, folded, that may stand beside a code in a query that is still just
// the code: "mã 1.000894", "thủ tục số 1.000894", "văn bản 68/2020/QH14".
var codeWords = map[string]bool{"ma": true, "so": true, "hieu": true, "thu": true, "tuc": true, "van": true, "ban": true}

// queryCodes returns the official codes a query contains, and whether it is nothing else.
func queryCodes(q string) (codes []string, onlyCodes bool) {
	onlyCodes = true
	for _, w := range strings.Fields(q) {
		w = strings.ToUpper(strings.Trim(w, ".,;:!?()[]\"'“”‘’"))
		switch {
		case officialCode.MatchString(w):
			if !slices.Contains(codes, w) {
				codes = append(codes, w)
			}
		case w != "" && !codeWords[vntext.Key(w)]:
			onlyCodes = false
		}
	}
	return codes, onlyCodes && len(codes) > 0
}

// codesFirst puts first the results that have one of the codes of the coded documents, and
// before the others the coded documents the search did not find at all (found is the search's
// results before resolve.OnePerCode, which may have merged a document into its sheet).
func codesFirst(results, found []thutuc.SearchResult, coded []thutuc.DocumentSummary) []thutuc.SearchResult {
	if len(coded) == 0 {
		return results
	}
	codes, seen := map[string]bool{}, map[string]bool{}
	for _, d := range coded {
		codes[d.Code] = true
	}
	for _, r := range found {
		seen[r.DocumentID] = true
	}
	var first, rest []thutuc.SearchResult
	for _, r := range results {
		if codes[r.Code] {
			first = append(first, r)
		} else {
			rest = append(rest, r)
		}
	}
	for _, d := range coded {
		if !seen[d.ID] {
			first = append(first, thutuc.SearchResult{DocumentID: d.ID, Code: d.Code, Title: d.Title, Kind: d.Kind, Level: d.Level})
		}
	}
	return append(first, rest...)
}

// summaryResult is a listed document as a result, without snippets.
func summaryResult(d thutuc.DocumentSummary) lookupResult {
	return lookupResult{ID: d.ID, Title: d.Title, Code: d.Code, Kind: kindNames[d.Kind],
		Level: d.Level, Agency: d.Agency, URL: "/tra-cuu/" + d.ID}
}

// lookupParams are the query parameters a page link keeps.
var lookupParams = []string{"q", "kind", "level", "field", "agency"}

// pageLinks returns the pager of page out of the pages total results fill, its links keeping
// the other parameters of query: the first and last pages, and two either side of page.
func pageLinks(query url.Values, page, total int) pager {
	pg := pager{Page: page, Pages: (total + lookupPageSize - 1) / lookupPageSize}
	link := func(n int) string {
		q := url.Values{}
		for _, k := range lookupParams {
			if v := query.Get(k); v != "" {
				q.Set(k, v)
			}
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return "/tra-cuu"
		}
		// A space as %20: html/template would write a + as &#43;, and a literal + is %2B.
		return "/tra-cuu?" + strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	if page > 1 && pg.Pages > 0 {
		pg.Prev = link(min(page-1, pg.Pages))
	}
	if page < pg.Pages {
		pg.Next = link(page + 1)
	}
	if pg.Pages < 2 {
		return pg
	}
	for n := 1; n <= pg.Pages; n++ {
		switch {
		case n == 1 || n == pg.Pages || n >= page-2 && n <= page+2:
			pg.Links = append(pg.Links, pageLink{Number: n, URL: link(n), Current: n == page})
		case len(pg.Links) > 0 && !pg.Links[len(pg.Links)-1].Gap:
			pg.Links = append(pg.Links, pageLink{Gap: true})
		}
	}
	return pg
}

// filterMenus turns the facets into the filter menus, marking the current choices. An agency
// is marked in whatever spelling the query string gives it (see postgres.AgencyKey). Levels
// are named by levelNames, else by the names the documents give them (storedLevels).
func filterMenus(facets map[string][]postgres.Facet, f thutuc.Filter, storedLevels map[string]string) []selectField {
	levels := maps.Clone(storedLevels)
	if levels == nil {
		levels = map[string]string{}
	}
	maps.Copy(levels, levelNames)
	menu := func(name, label, current string, names map[string]string, key func(string) string) selectField {
		sf := selectField{Name: name, Label: label}
		for _, fc := range facets[name] {
			l := fc.Value
			if n, ok := names[fc.Value]; ok {
				l = n
			}
			selected := current != "" && key(fc.Value) == key(current)
			sf.Options = append(sf.Options, selectOption{Value: fc.Value, Label: l, Count: fc.Count, Selected: selected})
		}
		if name == "field" || name == "agency" {
			sort.SliceStable(sf.Options, func(i, j int) bool { return vntext.Key(sf.Options[i].Label) < vntext.Key(sf.Options[j].Label) })
		}
		return sf
	}
	same := func(s string) string { return s }
	return []selectField{
		menu("kind", "Loại", f.Kind, kindNames, same),
		menu("level", "Cấp thực hiện", f.Level, levels, postgres.LevelKey),
		menu("field", "Lĩnh vực", f.Field, nil, same),
		menu("agency", "Cơ quan", f.Agency, nil, postgres.AgencyKey),
	}
}

// queryPhrases are the query and its expansions, each as folded words, for highlighting.
func queryPhrases(q string, resp *retrieval.Response) [][]string {
	phrases := [][]string{strings.Fields(vntext.Key(q))}
	for _, e := range resp.Expansions {
		for _, t := range e.Terms {
			phrases = append(phrases, strings.Fields(vntext.Key(t)))
		}
	}
	return phrases
}

// highlight cuts text into parts, marking runs of words that follow each other in one of the
// phrases. Pairs, not single syllables, are matched: Vietnamese words are mostly two syllables,
// and a lone "hộ" would light up "hộ tịch" for a search of "hộ chiếu". A one-word phrase (a
// code, "xe") matches alone.
func highlight(s string, phrases [][]string) []textPart {
	pairs, singles := map[[2]string]bool{}, map[string]bool{}
	for _, p := range phrases {
		if len(p) == 1 {
			singles[p[0]] = true
		}
		for i := 0; i+1 < len(p); i++ {
			pairs[[2]string{p[i], p[i+1]}] = true
		}
	}
	// Cut into alternating separators and words.
	type token struct {
		text, key string
		word      bool
	}
	var toks []token
	for s != "" {
		i := strings.IndexFunc(s, isWordRune)
		if i != 0 {
			if i < 0 {
				i = len(s)
			}
			toks = append(toks, token{text: s[:i]})
			s = s[i:]
			continue
		}
		j := strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) })
		if j < 0 {
			j = len(s)
		}
		toks = append(toks, token{text: s[:j], key: vntext.Key(s[:j]), word: true})
		s = s[j:]
	}
	hit := make([]bool, len(toks))
	prev := -1 // index of the previous word, when only a space separates it
	for i, t := range toks {
		if !t.word {
			if strings.TrimSpace(t.text) != "" {
				prev = -1
			}
			continue
		}
		if singles[t.key] {
			hit[i] = true
		}
		if prev >= 0 && pairs[[2]string{toks[prev].key, t.key}] {
			for k := prev; k <= i; k++ {
				hit[k] = true
			}
		}
		prev = i
	}
	var parts []textPart
	for i, t := range toks {
		h := hit[i] || !t.word && i > 0 && i+1 < len(toks) && hit[i-1] && hit[i+1]
		if n := len(parts); n > 0 && parts[n-1].Hit == h {
			parts[n-1].Text += t.text
			continue
		}
		parts = append(parts, textPart{Text: t.text, Hit: h})
	}
	return parts
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 && r != '…' && r != '—' && r != '–' && r != '“' && r != '”'
}

// markdownText returns the text of a Markdown fragment without markup, blocks separated by
// spaces.
func markdownText(md string) string {
	src := []byte(md)
	root := markdown.Parser().Parse(text.NewReader(src))
	var b bytes.Buffer
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch t := n.(type) {
		case *ast.Text:
			if entering {
				b.Write(t.Segment.Value(src))
				if t.SoftLineBreak() || t.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(t.Value)
			}
		default:
			if !entering && n.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// clip shortens s to at most n runes at a word boundary, with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// sheetPage is the full view of one document for officers.
type sheetPage struct {
	Doc         *thutuc.Document
	Kind        string
	AsOf        string
	Level       string
	Sections    []sheetSectionView
	IsProcedure bool
	Related     []thutuc.DocumentSummary // regulations named in the legal basis
}

type sheetSectionView struct {
	sheetSection
	Label string
}

func (s *Server) handleSheet(c *gin.Context) {
	ctx := c.Request.Context()
	doc, err := s.db.Document(ctx, c.Param("id"))
	if err != nil {
		s.pageError(c, err)
		return
	}
	p := sheetPage{Doc: doc, Kind: kindNames[doc.Kind], AsOf: viDate(doc.AsOf), IsProcedure: doc.Kind == thutuc.KindProcedure}
	var legal strings.Builder
	sections := sheetSections(doc)
	for _, sec := range sections {
		if sec.Key == thutuc.SectionLegalBasis {
			legal.WriteString(sec.Source + "\n")
		}
	}
	var cited citedRegulations
	if legal.Len() > 0 {
		if cited, err = s.citedRegulations(ctx, legal.String(), doc.ID); err != nil {
			s.pageError(c, err)
			return
		}
		p.Related = cited.summaries()
	}
	for _, sec := range sections {
		if sec.Key == thutuc.SectionLegalBasis && len(cited) > 0 {
			sec.HTML = renderMarkdown(linkLegalBasis(sec.Source, cited))
		}
		p.Sections = append(p.Sections, sheetSectionView{sheetSection: sec, Label: sectionLabel(sec.Key, sec.Article, sec.Heading)})
	}
	s.render(c, http.StatusOK, "sheet", page{Title: doc.Title, Description: "Toàn văn thủ tục " + doc.Title + " kèm nguồn.", Data: p})
}

// citedRegulations returns the stored regulations (other than the document self) whose number
// and symbol appear in text, by symbol, with their articles.
func (s *Server) citedRegulations(ctx context.Context, text, self string) (citedRegulations, error) {
	regs, err := s.db.Regulations(ctx)
	if err != nil {
		return nil, err
	}
	named := map[string]bool{}
	for _, sym := range regulationSymbol.FindAllString(text, -1) {
		named[sym] = true
	}
	out := citedRegulations{}
	var ids []string
	for _, r := range regs {
		if r.ID == self {
			continue
		}
		for _, sym := range regulationSymbols(r) {
			if named[sym] && out[sym] == nil {
				out[sym] = &citedRegulation{Regulation: r}
				ids = append(ids, r.ID)
			}
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	articles, err := s.db.Articles(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		c.Articles = articles[c.ID]
	}
	return out, nil
}
