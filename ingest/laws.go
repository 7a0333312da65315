package ingest

// Importer for laws given article by article (laws-alqac2023.json): one regulation sheet per
// law, one "## Điều N." section per article.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/thutuc/thutuc/ingest/mdwrite"
	"github.com/thutuc/thutuc/vntext"
	"golang.org/x/text/unicode/norm"
)

// LawSourceURL is the source_url of law sheets: the data set gives no address per law, and the
// sheet format requires one, so the national legal database is named.
const LawSourceURL = "https://vbpl.vn/"

// LawStats counts what ReadLaws converted.
type LawStats struct {
	Laws     int // laws read
	Articles int // articles written
	Failed   int // laws that could not be decoded or converted
}

// lawRecord is one element of the laws array.
type lawRecord struct {
	ID       string       `json:"id"` // the law's title
	Articles []lawArticle `json:"articles"`
}

type lawArticle struct {
	ID   string `json:"id"`   // article number
	Text string `json:"text"` // "<title>\n\n<body>"; some articles have no title
}

// lawArticleIDRe is an article number as the sheet parser cites it: 20, 20a.
var lawArticleIDRe = regexp.MustCompile(`^\d{1,4}[a-zđ]?$`)

// ReadLaws reads a JSON array of laws; for each law it calls fn(name, sheet) where name is
// "<file>#<id>" and id the sheet's slug. A law that cannot be decoded or converted is counted in
// Failed and reported through onProblem (which may be nil); an article with a problem is still
// written and reported. Malformed JSON outside one law, a read error or an error from fn stops
// the read and is returned.
func ReadLaws(r io.Reader, file string, asOf string, fn func(name string, sheet []byte) error, onProblem func(name string, err error)) (LawStats, error) {
	var st LawStats
	if _, err := time.Parse("2006-01-02", asOf); err != nil {
		return st, fmt.Errorf("read laws %s: as_of %q is not a YYYY-MM-DD date", file, asOf)
	}
	problem := func(name string, err error) {
		if onProblem != nil {
			onProblem(name, err)
		}
	}
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil {
		return st, fmt.Errorf("read laws %s: %w", file, err)
	} else if d, ok := tok.(json.Delim); !ok || d != '[' {
		return st, fmt.Errorf("read laws %s: want a JSON array, got %v", file, tok)
	}
	used := map[string]int{}
	for i := 0; dec.More(); i++ {
		// Decoding into a raw message first keeps a law of the wrong shape from ending the read.
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return st, fmt.Errorf("read laws %s: law %d: %w", file, i, err)
		}
		st.Laws++
		var law lawRecord
		if err := json.Unmarshal(raw, &law); err != nil {
			st.Failed++
			problem(fmt.Sprintf("%s#%d", file, i), fmt.Errorf("decode law %d: %w", i, err))
			continue
		}
		title := mdwrite.OneLine(norm.NFC.String(law.ID))
		if title == "" {
			st.Failed++
			problem(fmt.Sprintf("%s#%d", file, i), fmt.Errorf("convert law %d: no title", i))
			continue
		}
		id := LawSlug(title)
		if n := used[id]; n > 0 {
			used[id]++
			id = fmt.Sprintf("%s-%d", id, n+1)
		}
		used[id]++
		name := file + "#" + id
		if len(law.Articles) == 0 {
			problem(name, errNoArticles)
		}
		sheet, warns := lawSheet(id, title, asOf, law.Articles)
		for _, w := range warns {
			problem(name, w)
		}
		st.Articles += len(law.Articles)
		if err := fn(name, sheet); err != nil {
			return st, fmt.Errorf("store %s: %w", name, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return st, fmt.Errorf("read laws %s: %w", file, err)
	}
	return st, nil
}

// lawSheet writes a law as a regulation sheet; it returns problems with single articles.
func lawSheet(id, title, asOf string, arts []lawArticle) ([]byte, []error) {
	var b bytes.Buffer
	var warns []error
	b.WriteString("---\n")
	fm := mdwrite.FrontMatter{B: &b}
	fm.Str("id", id)
	fm.Str("title", title)
	fm.Str("kind", "regulation")
	fm.Str("source_url", LawSourceURL)
	fm.Str("as_of", asOf)
	b.WriteString("metadata:\n")
	fm.Indent = "  "
	fm.Str("dataset", "ALQAC 2023")
	fm.Raw("articles", strconv.Itoa(len(arts)))
	b.WriteString("---\n\n# " + title + "\n\n")
	b.WriteString(fmt.Sprintf("Văn bản gồm %d điều, theo bộ dữ liệu ALQAC 2023.\n\n", len(arts)))
	for i, a := range arts {
		num := mdwrite.OneLine(norm.NFC.String(a.ID))
		if !lawArticleIDRe.MatchString(num) {
			warns = append(warns, fmt.Errorf("article %d: number %q is not an article number", i+1, a.ID))
			if num == "" {
				num = strconv.Itoa(i + 1)
			}
		}
		atitle, body := LawArticleParts(norm.NFC.String(a.Text))
		head := "## Điều " + num + "."
		if atitle != "" {
			head += " " + atitle
		}
		b.WriteString(head + "\n\n")
		wrote := false
		for _, line := range mdwrite.SplitLines(body) {
			if p := mdwrite.OneLine(line); p != "" {
				b.WriteString(mdwrite.EscapeStart(p) + "\n\n")
				wrote = true
			}
		}
		if !wrote && atitle == "" {
			warns = append(warns, fmt.Errorf("article %s: no text", num))
		}
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n'), warns
}

// LawArticleParts splits an article's text into its title and body. The title is the first line
// (two when the first ends with a comma, as long titles wrap); an article whose first line
// reads like a sentence or a numbered clause has no title (the Constitution's articles).
func LawArticleParts(text string) (title, body string) {
	t := strings.TrimSpace(text)
	lines := strings.SplitN(t, "\n", 3)
	first := strings.TrimSpace(lines[0])
	n := 1
	if strings.HasSuffix(first, ",") && len(lines) > 1 && strings.TrimSpace(lines[1]) != "" {
		first += " " + strings.TrimSpace(lines[1])
		n = 2
	}
	if !lawLooksLikeTitle(first) {
		return "", t
	}
	rest := ""
	if idx := lawNthLineEnd(t, n); idx < len(t) {
		rest = t[idx:]
	}
	return mdwrite.OneLine(first), strings.TrimSpace(rest)
}

// lawLooksLikeTitle reports whether a first line is an article title: short, not ending like a
// sentence, not a numbered clause.
func lawLooksLikeTitle(s string) bool {
	if s == "" || len([]rune(s)) > 250 {
		return false
	}
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, ":") || strings.HasSuffix(s, ";") {
		return false
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return !(i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')'))
}

// lawNthLineEnd returns the index just after the n-th line break of s (len(s) if fewer).
func lawNthLineEnd(s string, n int) int {
	idx := 0
	for k := 0; k < n; k++ {
		j := strings.IndexByte(s[idx:], '\n')
		if j < 0 {
			return len(s)
		}
		idx += j + 1
	}
	return idx
}

// LawSlug makes a sheet id from a law title: lower-case ASCII, Vietnamese diacritics folded
// (đ → d), words joined by '-'. "Luật Cư trú" → "luat-cu-tru".
func LawSlug(title string) string {
	folded := strings.ToLower(vntext.Fold(norm.NFC.String(title)))
	var b strings.Builder
	dash := false
	for _, r := range folded {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	s := b.String()
	if len(s) > 100 {
		s = strings.TrimRight(s[:100], "-")
	}
	if s == "" {
		return "van-ban"
	}
	return s
}

// errNoArticles is reported for a law without articles (its sheet has only the overview).
var errNoArticles = errors.New("law has no articles")
