// Package ingest reads procedure sheets and regulations (Markdown with YAML front matter, or the
// national catalog and laws converted to that form), cuts them into chunks that never span two
// sections, embeds the chunks and stores them.
package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/vntext"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// FrontMatter is the YAML header of a sheet (see corpus/README.md).
type FrontMatter struct {
	ID        string         `yaml:"id"`
	Code      string         `yaml:"code"`
	Title     string         `yaml:"title"`
	Kind      string         `yaml:"kind"`
	Field     string         `yaml:"field"`
	Level     string         `yaml:"level"`
	Agency    string         `yaml:"agency"`
	Locality  string         `yaml:"locality"`
	SourceURL string         `yaml:"source_url"`
	AsOf      string         `yaml:"as_of"`
	Aliases   []string       `yaml:"aliases"`
	Metadata  map[string]any `yaml:"metadata"`
}

// Block is one top-level Markdown block of a section: its source text and, for lists, the
// source of each item without its marker.
type Block struct {
	Kind  string   // paragraph, list, table, heading, code, other
	Text  string   // Markdown source of the whole block
	Items []string // list items (source without the marker), for Kind == "list"
}

// Section is the text under one ## heading (or before the first: the overview).
type Section struct {
	Canonical string // thutuc.Section* constant
	Heading   string // the heading as written, "" for the overview
	Article   string // article number for regulations ("20" for "Điều 20. ...")
	Line      int    // 1-based line of the heading in the file
	Blocks    []Block
}

// Sheet is a parsed sheet.
type Sheet struct {
	Meta     FrontMatter
	Title    string // the # heading, or Meta.Title when there is none
	Sections []Section
	Body     string // Markdown after the front matter, NFC
}

// SheetError is a problem with a sheet, with the line it is on when known.
type SheetError struct {
	Path string
	Line int // 0 when unknown
	Err  error
}

func (e *SheetError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *SheetError) Unwrap() error { return e.Err }

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9.\-]{0,127}$`)
	articlePattern = regexp.MustCompile(`^(?i)điều\s+(\d+[a-zđ]?)\b`)
	yamlLine       = regexp.MustCompile(`line (\d+)`)
	markdown       = goldmark.New(goldmark.WithExtensions(extension.GFM))
)

// MaxSheetBytes bounds one sheet; larger inputs are refused rather than parsed.
const MaxSheetBytes = 4 << 20

// ParseSheet parses a sheet. path is used in errors only.
func ParseSheet(path string, data []byte) (*Sheet, error) {
	fail := func(line int, format string, args ...any) error {
		return &SheetError{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
	}
	if len(data) > MaxSheetBytes {
		return nil, fail(0, "file is larger than %d bytes", MaxSheetBytes)
	}
	if !utf8.Valid(data) {
		return nil, fail(0, "not valid UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = norm.NFC.Bytes(data)
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fail(0, "contains a NUL byte")
	}
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, fail(1, "missing front matter: the file must start with a line '---'")
	}
	rest := data[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	var fm, body []byte
	switch {
	case end >= 0:
		fm, body = rest[:end+1], rest[end+5:]
	case bytes.HasSuffix(rest, []byte("\n---")):
		fm, body = rest[:len(rest)-3], nil
	case bytes.HasPrefix(rest, []byte("---\n")):
		fm, body = nil, rest[4:]
	default:
		return nil, fail(1, "front matter is not closed by a line '---'")
	}
	bodyLine := 1 + bytes.Count(data[:len(data)-len(body)], []byte("\n"))

	var meta FrontMatter
	dec := yaml.NewDecoder(bytes.NewReader(fm))
	dec.KnownFields(true)
	if err := dec.Decode(&meta); err != nil && !errors.Is(err, errEOF(err)) {
		line := 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscan(m[1], &line)
			// yaml.v3 counts lines from 1 in type errors and from 0 in syntax errors; the
			// opening '---' adds one more.
			var typeErr *yaml.TypeError
			if errors.As(err, &typeErr) {
				line++
			} else {
				line += 2
			}
		}
		return nil, fail(line, "front matter: %v", err)
	}
	if err := validate(&meta); err != nil {
		return nil, fail(1, "front matter: %v", err)
	}

	sh := &Sheet{Meta: meta, Body: string(body)}
	if err := parseBody(sh, body, bodyLine); err != nil {
		return nil, fail(0, "%v", err)
	}
	if sh.Title == "" {
		sh.Title = meta.Title
	}
	return sh, nil
}

// errEOF returns err when it is yaml's io.EOF for an empty document, so that an empty front
// matter is reported by validate (missing id) rather than as a decoding error.
func errEOF(err error) error {
	if err != nil && err.Error() == "EOF" {
		return err
	}
	return errors.New("not EOF")
}

func validate(m *FrontMatter) error {
	m.ID = strings.TrimSpace(m.ID)
	m.Title = strings.TrimSpace(m.Title)
	m.Kind = strings.TrimSpace(m.Kind)
	switch {
	case m.ID == "":
		return errors.New("id is required")
	case !idPattern.MatchString(m.ID):
		return fmt.Errorf("id %q: use lower-case ASCII letters, digits, '.' and '-'", m.ID)
	case m.Title == "":
		return errors.New("title is required")
	case m.Kind != thutuc.KindProcedure && m.Kind != thutuc.KindRegulation:
		return fmt.Errorf("kind %q: want procedure or regulation", m.Kind)
	case m.Kind == thutuc.KindProcedure && strings.TrimSpace(m.Code) == "":
		return errors.New("code (mã thủ tục) is required for a procedure")
	case m.SourceURL == "":
		return errors.New("source_url is required")
	}
	u, err := url.Parse(m.SourceURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("source_url %q is not an http(s) URL", m.SourceURL)
	}
	if m.AsOf != "" {
		if _, err := time.Parse("2006-01-02", m.AsOf); err != nil {
			return fmt.Errorf("as_of %q: want a date YYYY-MM-DD", m.AsOf)
		}
	}
	var aliases []string
	for _, a := range m.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			aliases = append(aliases, a)
		}
	}
	m.Aliases = aliases
	return nil
}

// parseBody walks the top-level blocks: the # heading is the title, each ## starts a section,
// and every other block belongs to the current section.
func parseBody(sh *Sheet, src []byte, firstLine int) error {
	doc := markdown.Parser().Parse(text.NewReader(src))
	cur := &Section{Canonical: thutuc.SectionOverview, Line: firstLine}
	lineOf := func(off int) int { return firstLine + bytes.Count(src[:off], []byte("\n")) }
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		start, stop, ok := span(n, src)
		if !ok {
			continue
		}
		raw := strings.TrimSpace(string(src[start:stop]))
		if h, isHeading := n.(*ast.Heading); isHeading && h.Level <= 2 {
			title := HeadingText(h, src)
			if h.Level == 1 {
				if sh.Title == "" {
					sh.Title = title
					continue
				}
			} else {
				sh.Sections = appendSection(sh.Sections, cur)
				cur = &Section{Heading: title, Line: lineOf(start)}
				cur.Canonical, cur.Article = classify(title, sh.Meta.Kind)
				continue
			}
		}
		b := Block{Kind: blockKind(n), Text: raw}
		if l, isList := n.(*ast.List); isList {
			for it := l.FirstChild(); it != nil; it = it.NextSibling() {
				if s, e, ok := span(it, src); ok {
					b.Items = append(b.Items, strings.TrimSpace(stripMarker(string(src[s:e]))))
				}
			}
		}
		cur.Blocks = append(cur.Blocks, b)
	}
	sh.Sections = appendSection(sh.Sections, cur)
	return nil
}

func appendSection(ss []Section, s *Section) []Section {
	if len(s.Blocks) == 0 && s.Heading == "" {
		return ss
	}
	return append(ss, *s)
}

// span returns the source range of a block node: from the start of the line holding its first
// segment (so list markers are kept) to the end of its last segment.
func span(n ast.Node, src []byte) (start, stop int, ok bool) {
	start, stop = -1, -1
	var visit func(ast.Node)
	visit = func(m ast.Node) {
		if m.Type() == ast.TypeBlock {
			lines := m.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				if start < 0 || seg.Start < start {
					start = seg.Start
				}
				if seg.Stop > stop {
					stop = seg.Stop
				}
			}
		}
		for c := m.FirstChild(); c != nil; c = c.NextSibling() {
			visit(c)
		}
	}
	visit(n)
	if start < 0 || stop <= start {
		return 0, 0, false
	}
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	if stop > len(src) {
		stop = len(src)
	}
	return start, stop, true
}

var markerPattern = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,9}[.)])\s+`)

func stripMarker(s string) string { return markerPattern.ReplaceAllString(s, "") }

// HeadingText returns a heading's text as written (without the # marks), as ingestion stores it
// in chunks.
func HeadingText(h *ast.Heading, src []byte) string {
	var b strings.Builder
	lines := h.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(b.String()), "#"))
}

func blockKind(n ast.Node) string {
	switch n.(type) {
	case *ast.Paragraph:
		return "paragraph"
	case *ast.List:
		return "list"
	case *ast.Heading:
		return "heading"
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return "code"
	}
	if n.Kind().String() == "Table" {
		return "table"
	}
	return "other"
}

// sectionNames maps folded heading keys to canonical sections.
var sectionNames = map[string]string{
	"thanh phan ho so": thutuc.SectionDocuments, "giay to can nop": thutuc.SectionDocuments, "ho so": thutuc.SectionDocuments,
	"phi le phi": thutuc.SectionFees, "le phi": thutuc.SectionFees, "phi": thutuc.SectionFees,
	"thoi han giai quyet": thutuc.SectionDeadline, "thoi han": thutuc.SectionDeadline,
	"trinh tu thuc hien": thutuc.SectionSteps, "cac buoc": thutuc.SectionSteps,
	"cach thuc thuc hien": thutuc.SectionChannels, "noi nop": thutuc.SectionChannels, "cach nop": thutuc.SectionChannels,
	"co quan thuc hien":   thutuc.SectionAgency,
	"doi tuong thuc hien": thutuc.SectionApplicants,
	"yeu cau dieu kien":   thutuc.SectionConditions, "dieu kien": thutuc.SectionConditions, "yeu cau dieu kien thuc hien": thutuc.SectionConditions,
	"ket qua thuc hien": thutuc.SectionResult, "ket qua": thutuc.SectionResult,
	"can cu phap ly":  thutuc.SectionLegalBasis,
	"mau don to khai": thutuc.SectionForms, "bieu mau": thutuc.SectionForms,
}

// classify maps a ## heading to its canonical section, and for regulations an "Điều N." heading
// to an article.
func classify(heading, kind string) (section, article string) {
	if m := articlePattern.FindStringSubmatch(vntext.Normalize(heading)); m != nil {
		return thutuc.SectionArticle, m[1]
	}
	if s, ok := sectionNames[vntext.Key(heading)]; ok {
		return s, ""
	}
	return thutuc.SectionOther, ""
}

// SectionName returns the canonical section a heading maps to (SectionOther if none).
func SectionName(heading string) string {
	s, _ := classify(heading, "")
	return s
}
