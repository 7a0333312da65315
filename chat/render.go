package chat

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// renderer turns answers into HTML. goldmark's default HTML renderer omits raw HTML and
// unsafe link destinations (javascript:), so nothing a source or model writes can inject
// markup; WithUnsafe must never be set here. GFM adds task lists for the coach checklist.
type renderer struct{ md goldmark.Markdown }

func newRenderer() renderer {
	return renderer{md: goldmark.New(goldmark.WithExtensions(extension.GFM))}
}

var markerPattern = regexp.MustCompile(`\[(\d{1,3})\]`)

// html renders Markdown and turns the citation markers [n] into links to the citations
// (#cite-n) in the text, never inside tags.
func (r renderer) html(markdown string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(markdown), &buf); err != nil {
		return "", fmt.Errorf("render answer: %w", err)
	}
	return linkMarkers(buf.String()), nil
}

func linkMarkers(html string) string {
	var b strings.Builder
	b.Grow(len(html) + 64)
	for len(html) > 0 {
		lt := strings.IndexByte(html, '<')
		if lt < 0 {
			lt = len(html)
		}
		b.WriteString(markerPattern.ReplaceAllString(html[:lt], `<sup class="cite"><a href="#cite-$1">[$1]</a></sup>`))
		html = html[lt:]
		if html == "" {
			break
		}
		gt := strings.IndexByte(html, '>')
		if gt < 0 {
			gt = len(html) - 1
		}
		b.WriteString(html[:gt+1])
		html = html[gt+1:]
	}
	return b.String()
}
