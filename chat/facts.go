package chat

import (
	"regexp"
	"strings"

	"github.com/thutuc/thutuc/resolve"

	"github.com/thutuc/thutuc/vntext"
)

// A fact is one quotable piece of a chunk: a list item, a paragraph or a ### sub-heading.
// Quote is an exact substring of the chunk text (the source Markdown without the list marker),
// so that a citation can be checked against the store; Display is the same text on one line,
// for the answer.
type fact struct {
	kind    string // item, paragraph, heading
	quote   string
	display string
	ordinal string // "3" for a numbered list item, "" otherwise
	channel string // folded channel name of a "**Trực tiếp**: …" item, "" otherwise
	// start and end: the byte offsets of quote in the chunk text.
	start, end int
}

const (
	factItem      = "item"
	factParagraph = "paragraph"
	factHeading   = "heading"
)

var (
	listMarker    = regexp.MustCompile(`^([-*+]|(\d+)[.)])[ \t]+`)
	headingMarker = regexp.MustCompile(`^#{1,6}[ \t]+`)
	channelLead   = regexp.MustCompile(`^\*\*([^*]+)\*\*\s*:`)
)

// parseFacts cuts a chunk's Markdown into facts. Lines of a list item that continue on
// indented lines (or nested items) stay with their item; paragraphs run until a blank line,
// a list item or a heading.
func parseFacts(text string) []fact {
	var out []fact
	var cur *fact
	start, end := 0, 0 // byte offsets of the current fact's quote in text
	flush := func() {
		if cur == nil {
			return
		}
		cur.quote = strings.TrimRight(text[start:end], " \t")
		cur.start, cur.end = start, start+len(cur.quote)
		cur.display = oneLine(cur.quote)
		if cur.kind == factItem {
			if m := channelLead.FindStringSubmatch(cur.quote); m != nil {
				cur.channel = vntext.Key(m[1])
			}
		}
		if cur.quote != "" {
			out = append(out, *cur)
		}
		cur = nil
	}
	offset := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		lineStart := offset
		offset += len(line)
		body := strings.TrimRight(line, "\r\n")
		lineEnd := lineStart + len(body)
		trimmed := strings.TrimLeft(body, " \t")
		indented := len(trimmed) < len(body)
		switch {
		case strings.TrimSpace(body) == "":
			flush()
		case !indented && headingMarker.MatchString(body):
			flush()
			m := headingMarker.FindString(body)
			cur, start, end = &fact{kind: factHeading}, lineStart+len(m), lineEnd
			flush()
		case !indented && listMarker.MatchString(body):
			flush()
			m := listMarker.FindStringSubmatch(body)
			cur, start, end = &fact{kind: factItem, ordinal: m[2]}, lineStart+len(m[0]), lineEnd
		case cur != nil && (indented || cur.kind == factParagraph):
			end = lineEnd // continuation of the item or paragraph
		default:
			flush()
			cur, start, end = &fact{kind: factParagraph}, lineStart+len(body)-len(trimmed), lineEnd
		}
	}
	flush()
	return out
}

// oneLine folds the white space of a quote to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// silent reports whether a fact says that the source is silent ("Nguồn không nêu …").
func silent(f fact) bool {
	k := vntext.Key(f.display)
	return strings.Contains(k, "nguon khong neu") || strings.Contains(k, "khong co thong tin") ||
		strings.Contains(k, "nguon khong mo ta")
}

// Channel keys of per-channel facts.
const (
	channelInPerson = "truc tiep"
	channelOnline   = "truc tuyen"
	channelPost     = "dich vu buu chinh"
)

// aboutOnline reports whether a fact is about applying online.
func aboutOnline(f fact) bool {
	if f.channel != "" {
		return f.channel == channelOnline
	}
	return resolve.ContainsAny(resolve.FoldedWords(f.display), onlineWords)
}

var onlineWords = resolve.Phrases("trực tuyến", "online", "vneid", "cổng dịch vụ công", "qua mạng", "định danh quốc gia")
