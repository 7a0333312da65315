package catalog

// Fee cells and amounts of the channel table: reading amounts, cutting a time glued to a fee,
// cross-checking a fee cell with its note.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// moreAmounts reads further amounts glued to a fee cell and returns the bytes consumed.
func moreAmounts(t string, f *Fee) int {
	n := 0
	texts := []string{f.Text}
	defer func() { f.Text = strings.Join(texts, "; ") }()
	for {
		dl := digitRun(t[n:])
		if dl == 0 {
			return n
		}
		cur, cn := currencyAt(t[n+dl:])
		if cn == 0 || cur != f.Currency {
			return n
		}
		amt, err := parseAmount(t[n : n+dl])
		if err != nil {
			return n
		}
		f.Amounts = append(f.Amounts, amt)
		texts = append(texts, t[n:n+dl+cn])
		n += dl + cn
	}
}

// currencyAt matches a currency word (after an optional space) at the start of t.
func currencyAt(t string) (cur string, n int) {
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

// digitRun returns the length of the number at the start of t: a digit followed by digits,
// '.' and ','; a trailing separator is not included. Overlong runs are not numbers.
func digitRun(t string) int {
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

// parseFloat parses a time value; ',' and '.' are both decimal marks in the time cell.
func parseFloat(d string) (float64, error) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(d, ",", "."), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("parse time %q: bad number", d)
	}
	return v, nil
}

// parseAmount parses an amount; ',' and '.' are thousands separators in the fee cell.
func parseAmount(d string) (int64, error) {
	digits := digitsOnly(d)
	if digits == "" || len(digits) > 15 {
		return 0, fmt.Errorf("parse amount %q: bad number", d)
	}
	return strconv.ParseInt(digits, 10, 64)
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// prefixFold returns the first of words that t starts with, ignoring case.
func prefixFold(t string, words []string) string {
	for _, w := range words {
		if len(t) >= len(w) && strings.EqualFold(t[:len(w)], w) {
			return w
		}
	}
	return ""
}

// noteNumbers returns the digit strings of all numbers in s (separators removed).
func noteNumbers(s string) map[string]bool {
	nums := map[string]bool{}
	for _, m := range numberRe.FindAllString(s, -1) {
		nums[strings.TrimLeft(digitsOnly(m), "0")] = true
	}
	return nums
}

// splitTimeFee cuts a run of digits that holds a bare time and a fee amount ("1100 VNĐ" is
// "1" and "100"). It prefers the cut whose amount the row's note confirms; otherwise it takes
// a one-digit time, the most common case, and says so.
func splitTimeFee(ch *Channel, run, body string) string {
	lead := run
	if i := strings.IndexAny(run, ".,"); i >= 0 {
		lead = run[:i]
	}
	nums := noteNumbers(body)
	type cut struct {
		time, amount string
	}
	var cuts []cut
	for k := 1; k < len(lead); k++ {
		if a := run[k:]; validAmount(a) {
			cuts = append(cuts, cut{run[:k], a})
		}
	}
	if len(cuts) == 0 {
		return "" // a single digit: an amount with no time
	}
	chosen, sure := cuts[0], false
	for _, c := range cuts {
		d := strings.TrimLeft(digitsOnly(c.amount), "0")
		if d != "" && (nums[d] || nums[d+"000"]) {
			chosen, sure = c, true
			break
		}
	}
	v, _ := parseFloat(chosen.time)
	amt, _ := parseAmount(chosen.amount)
	ch.Time = &Duration{Value: v, Text: chosen.time}
	ch.Fee.Amounts[0] = amt
	ch.Fee.Text = strings.Replace(ch.Fee.Text, run, chosen.amount, 1)
	if sure {
		return ""
	}
	return fmt.Sprintf("time and fee run together in %q; read as time %s and amount %s", run, chosen.time, chosen.amount)
}

// validAmount reports whether a is a well-formed amount: no leading zero, and thousands
// groups of three digits when separated.
func validAmount(a string) bool {
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

// checkFee cross-checks the fee cell with the row's own text. Some records store a fee in
// thousands ("20 VNĐ (20.000 đồng/tờ khai)") or in the wrong currency ("155 VNĐ (... 155
// USD/thẻ)"); when the note states the corrected value the cell is corrected and a warning
// returned.
func checkFee(ch *Channel) string {
	f := &ch.Fee
	text := f.Detail + " " + ch.Note
	switch f.Kind {
	case FeeAmount:
		if f.Currency != "VND" {
			return ""
		}
		for _, m := range usdRe.FindAllStringSubmatch(text, -1) {
			if d := digitsOnly(m[1]); len(f.Amounts) == 1 && d == strconv.FormatInt(f.Amounts[0], 10) {
				f.Currency = "USD"
				return fmt.Sprintf("fee cell %q is in dollars per its note", f.Text)
			}
		}
		nums := noteNumbers(text)
		var warn string
		for i, a := range f.Amounts {
			if a > 0 && a < 1000 && !nums[strconv.FormatInt(a, 10)] && nums[strconv.FormatInt(a*1000, 10)] {
				f.Amounts[i] = a * 1000
				warn = fmt.Sprintf("fee cell %q read in thousands per its note", f.Text)
			}
		}
		return warn
	case FeeFree:
		if f.Detail != "" && (usdRe.MatchString(f.Detail) || strings.Contains(strings.ToLower(f.Detail), "000 đ")) {
			return "fee cell says free but its note states an amount"
		}
	}
	return ""
}
