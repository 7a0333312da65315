package ingest

// Channels, times and fees: the cach_thuc_thuc_hien table of a catalog record.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ParseChannels recovers the rows of a cach_thuc_thuc_hien cell. It returns nil, nil when the
// record gives nothing and an error when text is present but no row can be recovered.
func ParseChannels(s string) ([]Channel, error) {
	chs, _, err := dvcParseChannels(norm.NFC.String(s))
	return chs, err
}

// dvcParseChannels is ParseChannels that also returns warnings: rows it recovered but had to
// interpret (a time and a fee run together, a fee cell contradicted by its note). s is NFC.
func dvcParseChannels(s string) ([]Channel, []string, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimPrefix(t, dvcChannelHeader))
	if dvcMissing(t) {
		return nil, nil, nil
	}
	type start struct {
		at, bodyAt int
		name       string
		head       dvcRowHead
	}
	var starts []start
	var finder dvcChannelFinder
	for i := 0; i < len(t); {
		name, at := finder.next(t, i)
		if at < 0 {
			break
		}
		after := at + len(name)
		if head, n, ok := dvcParseRowHead(t[after:]); ok {
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
		finder = dvcChannelFinder{}
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
			head, n := dvcLooseRowHead(t[starts[k].bodyAt:end])
			starts[k].head = head
			starts[k].bodyAt += n
		}
		if len(starts) == 0 {
			return nil, nil, errors.New("no channel row found")
		}
		warns = append(warns, "no row has a recognisable time cell; rows split at glued channel names")
	}
	if lead := impClean(t[:starts[0].at]); lead != "" {
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
			w := dvcSplitTimeFee(&ch, st.head.runTogether, body)
			if w != "" {
				warns = append(warns, fmt.Sprintf("%s: %s", st.name, w))
			}
		}
		// The fee cell's own explanation follows it in parentheses; the rest is the description.
		if ch.Fee.Kind == FeeAmount || ch.Fee.Kind == FeeFree {
			if detail, rest, ok := dvcLeadingParens(body); ok {
				ch.Fee.Detail = impClean(detail)
				body = rest
			}
		}
		ch.Note = impClean(body)
		if ch.Fee.Kind == FeeNone && strings.Contains(strings.ToLower(ch.Note), "phí") {
			ch.Fee.Kind = FeeSeeNote
		}
		if w := dvcCheckFee(&ch); w != "" {
			warns = append(warns, fmt.Sprintf("%s: %s", st.name, w))
		}
		chs = append(chs, ch)
	}
	return chs, warns, nil
}

// dvcChannelFinder finds channel names in a text scanned left to right. It remembers where each
// name occurs next, so that the scan stays linear however many names the text holds.
type dvcChannelFinder struct {
	at    [len(dvcChannelNames)]int // next occurrence of each name (-1: none left)
	valid [len(dvcChannelNames)]bool
}

// next returns the first channel name in t at or after i, and where it is (-1 if none).
func (f *dvcChannelFinder) next(t string, i int) (string, int) {
	best, at := "", -1
	for k, n := range dvcChannelNames {
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

// dvcRowHead is the time and fee cells at the start of a channel row.
type dvcRowHead struct {
	time        *Duration
	timeText    string
	fee         Fee
	runTogether string // digits of a bare time and a fee amount run together ("120" for 1 + 20)
}

// dvcParseRowHead reads a time cell and a fee cell at the start of t (what follows a channel
// name). ok is false when t does not start like a row: then the channel name was part of a
// description ("Trực tiếp: nộp hồ sơ tại ...").
func dvcParseRowHead(t string) (h dvcRowHead, n int, ok bool) {
	switch {
	case strings.HasPrefix(t, dvcNoInfo):
		n = len(dvcNoInfo)
	case dvcDigitRun(t) > 0:
		d := t[:dvcDigitRun(t)]
		n = len(d)
		rest := t[n:]
		sp := 0
		if strings.HasPrefix(rest, " ") {
			sp = 1
		}
		if u := dvcPrefixFold(rest[sp:], dvcTimeUnits[:]); u != "" {
			v, err := dvcParseFloat(d)
			if err != nil {
				return h, 0, false
			}
			n += sp + len(u)
			h.time = &Duration{Value: v, Unit: strings.ToLower(u), Text: d + " " + u}
			break
		}
		if cur, cn := dvcCurrencyAt(rest); cn > 0 {
			// A bare time and an amount with nothing between them: "1" + "20 VNĐ" = "120 VNĐ".
			// dvcSplitTimeFee decides where to cut once the row's note is known.
			amt, err := dvcParseAmount(d)
			if err != nil {
				return h, 0, false
			}
			h.fee = Fee{Kind: FeeAmount, Amounts: []int64{amt}, Currency: cur, Text: d + rest[:cn]}
			h.runTogether = d
			n += cn
			return h, n + dvcMoreAmounts(t[n:], &h.fee), true
		}
		v, err := dvcParseFloat(d)
		if err != nil {
			return h, 0, false
		}
		h.time = &Duration{Value: v, Text: d}
	default:
		for _, tt := range dvcTextTimes {
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
	case strings.HasPrefix(rest, dvcNoInfo):
		h.fee = Fee{Kind: FeeNone}
		n += len(dvcNoInfo)
	default:
		dl := dvcDigitRun(rest)
		if dl == 0 {
			return h, 0, false
		}
		cur, cn := dvcCurrencyAt(rest[dl:])
		if cn == 0 {
			return h, 0, false
		}
		amt, err := dvcParseAmount(rest[:dl])
		if err != nil {
			return h, 0, false
		}
		h.fee = Fee{Kind: FeeAmount, Amounts: []int64{amt}, Currency: cur, Text: rest[:dl+cn]}
		n += dl + cn
		n += dvcMoreAmounts(t[n:], &h.fee)
	}
	return h, n, true
}

// dvcLooseRowHead reads a row whose time cell is free text: the time cell runs to the first fee
// cell glued to it ("...điện tử.Không có thông tin"). With no fee cell the row is all note.
func dvcLooseRowHead(t string) (dvcRowHead, int) {
	window := t[:min(len(t), 600)]
	for i, r := range window {
		if i == 0 || !(r == 'M' || r == 'K' || (r >= '0' && r <= '9')) {
			continue
		}
		if prev, _ := utf8.DecodeLastRuneInString(window[:i]); unicode.IsSpace(prev) || (prev >= '0' && prev <= '9') {
			continue
		}
		if h, n, ok := dvcParseRowHead(dvcNoInfo + t[i:min(len(t), i+256)]); ok && n > len(dvcNoInfo) {
			h.timeText = impClean(t[:i])
			return h, i + n - len(dvcNoInfo)
		}
	}
	return dvcRowHead{fee: Fee{Kind: FeeNone}}, 0
}

// dvcMoreAmounts reads further amounts glued to a fee cell and returns the bytes consumed.
func dvcMoreAmounts(t string, f *Fee) int {
	n := 0
	texts := []string{f.Text}
	defer func() { f.Text = strings.Join(texts, "; ") }()
	for {
		dl := dvcDigitRun(t[n:])
		if dl == 0 {
			return n
		}
		cur, cn := dvcCurrencyAt(t[n+dl:])
		if cn == 0 || cur != f.Currency {
			return n
		}
		amt, err := dvcParseAmount(t[n : n+dl])
		if err != nil {
			return n
		}
		f.Amounts = append(f.Amounts, amt)
		texts = append(texts, t[n:n+dl+cn])
		n += dl + cn
	}
}

// dvcCurrencyAt matches a currency word (after an optional space) at the start of t.
func dvcCurrencyAt(t string) (cur string, n int) {
	sp := 0
	if strings.HasPrefix(t, " ") {
		sp = 1
	}
	for _, c := range [...]struct{ word, cur string }{
		{"Việt Nam Đồng", "VND"}, {"VNĐ", "VND"}, {"VND", "VND"}, {"Đồng", "VND"}, {"đồng", "VND"}, {"USD", "USD"},
	} {
		if strings.HasPrefix(t[sp:], c.word) {
			return c.cur, sp + len(c.word)
		}
	}
	return "", 0
}

// dvcDigitRun returns the length of the number at the start of t: a digit followed by digits,
// '.' and ','; a trailing separator is not included. Overlong runs are not numbers.
func dvcDigitRun(t string) int {
	if t == "" || t[0] < '0' || t[0] > '9' {
		return 0
	}
	n := 1
	for n < len(t) && (t[n] >= '0' && t[n] <= '9' || t[n] == '.' || t[n] == ',') {
		n++
	}
	for n > 0 && (t[n-1] == '.' || t[n-1] == ',') {
		n--
	}
	if n > 24 {
		return 0
	}
	return n
}

// dvcParseFloat parses a time value; ',' and '.' are both decimal marks in the time cell.
func dvcParseFloat(d string) (float64, error) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(d, ",", "."), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("parse time %q: bad number", d)
	}
	return v, nil
}

// dvcParseAmount parses an amount; ',' and '.' are thousands separators in the fee cell.
func dvcParseAmount(d string) (int64, error) {
	digits := dvcDigitsOnly(d)
	if digits == "" || len(digits) > 15 {
		return 0, fmt.Errorf("parse amount %q: bad number", d)
	}
	return strconv.ParseInt(digits, 10, 64)
}

func dvcDigitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// dvcPrefixFold returns the first of words that t starts with, ignoring case.
func dvcPrefixFold(t string, words []string) string {
	for _, w := range words {
		if len(t) >= len(w) && strings.EqualFold(t[:len(w)], w) {
			return w
		}
	}
	return ""
}

// dvcNoteNumbers returns the digit strings of all numbers in s (separators removed).
func dvcNoteNumbers(s string) map[string]bool {
	nums := map[string]bool{}
	for _, m := range dvcNumberRe.FindAllString(s, -1) {
		nums[strings.TrimLeft(dvcDigitsOnly(m), "0")] = true
	}
	return nums
}

// dvcSplitTimeFee cuts a run of digits that holds a bare time and a fee amount ("1100 VNĐ" is
// "1" and "100"). It prefers the cut whose amount the row's note confirms; otherwise it takes
// a one-digit time, the most common case, and says so.
func dvcSplitTimeFee(ch *Channel, run, body string) string {
	lead := run
	if i := strings.IndexAny(run, ".,"); i >= 0 {
		lead = run[:i]
	}
	nums := dvcNoteNumbers(body)
	type cut struct {
		time, amount string
	}
	var cuts []cut
	for k := 1; k < len(lead); k++ {
		if a := run[k:]; dvcValidAmount(a) {
			cuts = append(cuts, cut{run[:k], a})
		}
	}
	if len(cuts) == 0 {
		return "" // a single digit: an amount with no time
	}
	chosen, sure := cuts[0], false
	for _, c := range cuts {
		d := strings.TrimLeft(dvcDigitsOnly(c.amount), "0")
		if d != "" && (nums[d] || nums[d+"000"]) {
			chosen, sure = c, true
			break
		}
	}
	v, _ := dvcParseFloat(chosen.time)
	amt, _ := dvcParseAmount(chosen.amount)
	ch.Time = &Duration{Value: v, Text: chosen.time}
	ch.Fee.Amounts[0] = amt
	ch.Fee.Text = strings.Replace(ch.Fee.Text, run, chosen.amount, 1)
	if sure {
		return ""
	}
	return fmt.Sprintf("time and fee run together in %q; read as time %s and amount %s", run, chosen.time, chosen.amount)
}

// dvcValidAmount reports whether a is a well-formed amount: no leading zero, and thousands
// groups of three digits when separated.
func dvcValidAmount(a string) bool {
	if a == "" || a[0] < '0' || a[0] > '9' || (a[0] == '0' && len(a) > 1) {
		return false
	}
	groups := strings.FieldsFunc(a, func(r rune) bool { return r == '.' || r == ',' })
	if len(groups) == 1 {
		return true
	}
	if len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// dvcCheckFee cross-checks the fee cell with the row's own text. Some records store a fee in
// thousands ("20 VNĐ (20.000 đồng/tờ khai)") or in the wrong currency ("155 VNĐ (... 155
// USD/thẻ)"); when the note states the corrected value the cell is corrected and a warning
// returned.
func dvcCheckFee(ch *Channel) string {
	f := &ch.Fee
	text := f.Detail + " " + ch.Note
	switch f.Kind {
	case FeeAmount:
		if f.Currency != "VND" {
			return ""
		}
		for _, m := range dvcUSDRe.FindAllStringSubmatch(text, -1) {
			if d := dvcDigitsOnly(m[1]); len(f.Amounts) == 1 && d == strconv.FormatInt(f.Amounts[0], 10) {
				f.Currency = "USD"
				return fmt.Sprintf("fee cell %q is in dollars per its note", f.Text)
			}
		}
		nums := dvcNoteNumbers(text)
		var warn string
		for i, a := range f.Amounts {
			if a > 0 && a < 1000 && !nums[strconv.FormatInt(a, 10)] && nums[strconv.FormatInt(a*1000, 10)] {
				f.Amounts[i] = a * 1000
				warn = fmt.Sprintf("fee cell %q read in thousands per its note", f.Text)
			}
		}
		return warn
	case FeeFree:
		if f.Detail != "" && (dvcUSDRe.MatchString(f.Detail) || strings.Contains(strings.ToLower(f.Detail), "000 đ")) {
			return "fee cell says free but its note states an amount"
		}
	}
	return ""
}

// dvcLeadingParens splits a parenthesised text at the start of s (after blanks) from the rest.
// Parentheses nest; an unclosed group runs to the end of s.
func dvcLeadingParens(s string) (inner, rest string, ok bool) {
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
