package ingest

import (
	"strings"
	"unicode/utf8"

	"github.com/thutuc/thutuc"
)

// ChunkOptions bound chunk sizes, in runes.
type ChunkOptions struct {
	MaxRunes int // a chunk grows up to this many runes of text (default 1200)
}

// Chunks cuts a sheet into chunks. A chunk never spans two sections; a long section splits at
// block boundaries, and a long list at item boundaries. Each chunk keeps its heading path
// (title, section heading, ### sub-heading) so that it can be understood and cited alone.
func Chunks(sh *Sheet, opts ChunkOptions) []thutuc.Chunk {
	if opts.MaxRunes <= 0 {
		opts.MaxRunes = 1200
	}
	var out []thutuc.Chunk
	for _, sec := range sh.Sections {
		path := []string{sh.Title}
		if sec.Heading != "" {
			path = append(path, sec.Heading)
		}
		sub := "" // the current ### heading inside the section
		var buf []string
		size := 0
		flush := func() {
			if len(buf) == 0 {
				return
			}
			hp := append([]string(nil), path...)
			if sub != "" {
				hp = append(hp, sub)
			}
			out = append(out, thutuc.Chunk{
				Section:     sec.Canonical,
				Heading:     sec.Heading,
				HeadingPath: hp,
				Article:     sec.Article,
				Ordinal:     len(out),
				Text:        strings.Join(buf, "\n"),
			})
			buf, size = nil, 0
		}
		add := func(s string) {
			n := utf8.RuneCountInString(s)
			if size > 0 && size+n > opts.MaxRunes {
				flush()
			}
			buf = append(buf, s)
			size += n + 1
		}
		for _, b := range sec.Blocks {
			switch {
			case b.Kind == "heading":
				// A sub-heading starts a new chunk so the chunk's path names its case.
				flush()
				sub = strings.TrimSpace(strings.TrimLeft(b.Text, "# "))
				add(b.Text)
			case b.Kind == "list" && utf8.RuneCountInString(b.Text) > opts.MaxRunes:
				for _, line := range splitListSource(b.Text) {
					for _, piece := range splitLong(line, opts.MaxRunes) {
						add(piece)
					}
				}
			default:
				for _, piece := range splitLong(b.Text, opts.MaxRunes) {
					add(piece)
				}
			}
		}
		flush()
	}
	return out
}

// splitListSource splits a list's source into its items (with markers), keeping nested lines
// with their item.
func splitListSource(src string) []string {
	var items []string
	for _, line := range strings.Split(src, "\n") {
		if markerPattern.MatchString(line) && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") || len(items) == 0 {
			items = append(items, line)
			continue
		}
		items[len(items)-1] += "\n" + line
	}
	return items
}

// splitLong cuts a text longer than max runes at paragraph breaks, then line breaks, then
// sentence ends, then spaces.
func splitLong(s string, max int) []string {
	if utf8.RuneCountInString(s) <= max {
		return []string{s}
	}
	for _, sep := range []string{"\n\n", "\n", ". ", " "} {
		parts := strings.Split(s, sep)
		if len(parts) < 2 {
			continue
		}
		var out []string
		cur := ""
		for i, p := range parts {
			if i < len(parts)-1 {
				p += sep
			}
			if cur != "" && utf8.RuneCountInString(cur)+utf8.RuneCountInString(p) > max {
				out = append(out, strings.TrimSpace(cur))
				cur = ""
			}
			cur += p
		}
		if strings.TrimSpace(cur) != "" {
			out = append(out, strings.TrimSpace(cur))
		}
		var res []string
		for _, o := range out {
			res = append(res, splitLong(o, max)...)
		}
		return res
	}
	// One unbroken run of characters: cut by runes.
	var out []string
	r := []rune(s)
	for len(r) > max {
		out = append(out, string(r[:max]))
		r = r[max:]
	}
	return append(out, string(r))
}

// EmbeddingText is the text embedded for a chunk: its heading path, then its text, so that a
// chunk such as "- **Trực tiếp**: 200.000 đồng" carries what it is about.
func EmbeddingText(c thutuc.Chunk) string {
	return strings.Join(c.HeadingPath, " — ") + "\n" + c.Text
}
