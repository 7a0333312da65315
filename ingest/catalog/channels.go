package catalog

// Channels, times and fees: the cach_thuc_thuc_hien table of a catalog record.

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/ingest/mdwrite"
	"golang.org/x/text/unicode/norm"
)

// ParseChannels recovers the rows of a cach_thuc_thuc_hien cell. It returns nil, nil when the
// record gives nothing and an error when text is present but no row can be recovered.
func ParseChannels(s string) ([]Channel, error) {
	chs, _, err := parseChannels(norm.NFC.String(s))
	return chs, err
}

// parseChannels is ParseChannels that also returns warnings: rows it recovered but had to
// interpret (a time and a fee run together, a fee cell contradicted by its note). s is NFC.
func parseChannels(s string) ([]Channel, []string, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimPrefix(t, channelHeader))
	if missing(t) {
		return nil, nil, nil
	}
	type start struct {
		at, bodyAt int
		name       string
		head       rowHead
	}
	var starts []start
	var finder channelFinder
	for i := 0; i < len(t); {
		name, at := finder.next(t, i)
		if at < 0 {
			break
		}
		after := at + len(name)
		if head, n, ok := parseRowHead(t[after:]); ok {
			starts = append(starts, start{at: at, bodyAt: after + n, name: name, head: head})
			i = after + n
			continue
		}
		i = after
	}
	var warns []string
	if len(starts) == 0 {
		// No row starts with a recognisable time cell. Rows whose time cell is free text still
		// start with a channel name glued to the previous row: take those.
		finder = channelFinder{}
		for i := 0; i < len(t); {
			name, at := finder.next(t, i)
			if at < 0 {
				break
			}
			after := at + len(name)
			i = after
			prev, _ := utf8.DecodeLastRuneInString(t[:at])
			next, _ := utf8.DecodeRuneInString(t[after:])
			if (at > 0 && unicode.IsSpace(prev)) || after == len(t) || unicode.IsSpace(next) || next == ':' {
				continue
			}
			starts = append(starts, start{at: at, bodyAt: after, name: name})
		}
		for k := range starts {
			end := len(t)
			if k+1 < len(starts) {
				end = starts[k+1].at
			}
			head, n := looseRowHead(t[starts[k].bodyAt:end])
			starts[k].head = head
			starts[k].bodyAt += n
		}
		if len(starts) == 0 {
			return nil, nil, errors.New("no channel row found")
		}
		warns = append(warns, "no row has a recognisable time cell; rows split at glued channel names")
	}
	if lead := mdwrite.Clean(t[:starts[0].at]); lead != "" {
		warns = append(warns, fmt.Sprintf("text before the first channel row ignored (%d bytes)", len(lead)))
	}
	chs := make([]Channel, 0, len(starts))
	for k, st := range starts {
		end := len(t)
		if k+1 < len(starts) {
			end = starts[k+1].at
		}
		body := t[st.bodyAt:end]
		ch := Channel{Name: st.name, Time: st.head.time, TimeText: st.head.timeText, Fee: st.head.fee}
		if st.head.runTogether != "" {
			w := splitTimeFee(&ch, st.head.runTogether, body)
			if w != "" {
				warns = append(warns, fmt.Sprintf("%s: %s", st.name, w))
			}
		}
		// The fee cell's own explanation follows it in parentheses; the rest is the description.
		if ch.Fee.Kind == FeeAmount || ch.Fee.Kind == FeeFree {
			if detail, rest, ok := leadingParens(body); ok {
				ch.Fee.Detail = mdwrite.Clean(detail)
				body = rest
			}
		}
		ch.Note = mdwrite.Clean(body)
		if ch.Fee.Kind == FeeNone && strings.Contains(strings.ToLower(ch.Note), "phí") {
			ch.Fee.Kind = FeeSeeNote
		}
		if w := checkFee(&ch); w != "" {
			warns = append(warns, fmt.Sprintf("%s: %s", st.name, w))
		}
		chs = append(chs, ch)
	}
	return chs, warns, nil
}

// channelFinder finds channel names in a text scanned left to right. It remembers where each
// name occurs next, so that the scan stays linear however many names the text holds.
type channelFinder struct {
	at    [len(channelNames)]int // next occurrence of each name (-1: none left)
	valid [len(channelNames)]bool
}

// next returns the first channel name in t at or after i, and where it is (-1 if none).
func (f *channelFinder) next(t string, i int) (string, int) {
	best, at := "", -1
	for k, n := range channelNames {
		if !f.valid[k] || (f.at[k] >= 0 && f.at[k] < i) {
			f.at[k], f.valid[k] = -1, true
			if j := strings.Index(t[i:], n); j >= 0 {
				f.at[k] = i + j
			}
		}
		if f.at[k] >= 0 && (at < 0 || f.at[k] < at) {
			best, at = n, f.at[k]
		}
	}
	return best, at
}

// rowHead is the time and fee cells at the start of a channel row.
type rowHead struct {
	time        *Duration
	timeText    string
	fee         Fee
	runTogether string // digits of a bare time and a fee amount run together ("120" for 1 + 20)
}

// parseRowHead reads a time cell and a fee cell at the start of t (what follows a channel
// name). ok is false when t does not start like a row: then the channel name was part of a
// description ("Trực tiếp: nộp hồ sơ tại ...").
func parseRowHead(t string) (h rowHead, n int, ok bool) {
	switch {
	case strings.HasPrefix(t, noInfo):
		n = len(noInfo)
	case digitRun(t) > 0:
		d := t[:digitRun(t)]
		n = len(d)
		rest := t[n:]
		sp := 0
		if strings.HasPrefix(rest, " ") {
			sp = 1
		}
		if u := prefixFold(rest[sp:], timeUnits[:]); u != "" {
			v, err := parseFloat(d)
			if err != nil {
				return h, 0, false
			}
			n += sp + len(u)
			h.time = &Duration{Value: v, Unit: strings.ToLower(u), Text: d + " " + u}
			break
		}
		if cur, cn := currencyAt(rest); cn > 0 {
			// A bare time and an amount with nothing between them: "1" + "20 VNĐ" = "120 VNĐ".
			// splitTimeFee decides where to cut once the row's note is known.
			amt, err := parseAmount(d)
			if err != nil {
				return h, 0, false
			}
			h.fee = Fee{Kind: FeeAmount, Amounts: []int64{amt}, Currency: cur, Text: d + rest[:cn]}
			h.runTogether = d
			n += cn
			return h, n + moreAmounts(t[n:], &h.fee), true
		}
		v, err := parseFloat(d)
		if err != nil {
			return h, 0, false
		}
		h.time = &Duration{Value: v, Text: d}
	default:
		for _, tt := range textTimes {
			if strings.HasPrefix(t, tt) {
				h.timeText, n = tt, len(tt)
				break
			}
		}
		if n == 0 {
			return h, 0, false
		}
	}
	// Cells are glued, but a stray space or tab between them occurs.
	for n < len(t) && (t[n] == ' ' || t[n] == '\t') {
		n++
	}
	rest := t[n:]
	switch {
	case strings.HasPrefix(rest, "Miễn phí"):
		h.fee = Fee{Kind: FeeFree, Text: "Miễn phí"}
		n += len("Miễn phí")
	case strings.HasPrefix(rest, noInfo):
		h.fee = Fee{Kind: FeeNone}
		n += len(noInfo)
	default:
		dl := digitRun(rest)
		if dl == 0 {
			return h, 0, false
		}
		cur, cn := currencyAt(rest[dl:])
		if cn == 0 {
			return h, 0, false
		}
		amt, err := parseAmount(rest[:dl])
		if err != nil {
			return h, 0, false
		}
		h.fee = Fee{Kind: FeeAmount, Amounts: []int64{amt}, Currency: cur, Text: rest[:dl+cn]}
		n += dl + cn
		n += moreAmounts(t[n:], &h.fee)
	}
	return h, n, true
}

// looseRowHead reads a row whose time cell is free text: the time cell runs to the first fee
// cell glued to it ("...điện tử.Không có thông tin"). With no fee cell the row is all note.
func looseRowHead(t string) (rowHead, int) {
	window := t[:min(len(t), 600)]
	for i, r := range window {
		if i == 0 || !(r == 'M' || r == 'K' || (r >= '0' && r <= '9')) {
			continue
		}
		if prev, _ := utf8.DecodeLastRuneInString(window[:i]); unicode.IsSpace(prev) || (prev >= '0' && prev <= '9') {
			continue
		}
		if h, n, ok := parseRowHead(noInfo + t[i:min(len(t), i+256)]); ok && n > len(noInfo) {
			h.timeText = mdwrite.Clean(t[:i])
			return h, i + n - len(noInfo)
		}
	}
	return rowHead{fee: Fee{Kind: FeeNone}}, 0
}

// leadingParens splits a parenthesised text at the start of s (after blanks) from the rest.
// Parentheses nest; an unclosed group runs to the end of s.
func leadingParens(s string) (inner, rest string, ok bool) {
	t := strings.TrimLeft(s, " \t")
	if !strings.HasPrefix(t, "(") {
		return "", s, false
	}
	depth := 0
	for i, r := range t {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return t[1:i], t[i+1:], true
			}
		}
	}
	return t[1:], "", true
}
