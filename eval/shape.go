package eval

import (
	"slices"
	"strings"
	"time"

	"github.com/thutuc/thutuc/chat"
	"github.com/thutuc/thutuc/plain"
)

func (o Options) today() time.Time {
	if o.Today.IsZero() {
		return time.Now()
	}
	return o.Today
}

// shapeTally accumulates the shape of answered answers.
type shapeTally struct {
	lengths, cites, lines []int
	s                     AnswerShape
}

// endedWords say that a rule has ended; a line that names a passed end date must say one.
var endedWords = []string{"đã hết hạn áp dụng", "đã hết hiệu lực", "đã kết thúc", "không còn áp dụng"}

func (t *shapeTally) add(resp *chat.Response, today time.Time) {
	t.s.N++
	t.lengths = append(t.lengths, len([]rune(resp.Answer)))
	t.cites = append(t.cites, len(resp.Citations))
	t.lines = append(t.lines, answerLines(resp.Answer))
	for _, line := range strings.Split(resp.Answer, "\n") {
		if m := plain.Mechanics(line); len(m) > 0 {
			t.s.Mechanics += len(m)
			if len(t.s.MechanicsLines) < 5 {
				t.s.MechanicsLines = append(t.s.MechanicsLines, "mechanics: "+line)
			}
		}
		if expiredAsCurrent(line, today) {
			t.s.ExpiredAsLive++
			if len(t.s.ExpiredLines) < 5 {
				t.s.ExpiredLines = append(t.s.ExpiredLines, "expired: "+line)
			}
		}
	}
}

// expiredAsCurrent reports whether a line names an end date before today without saying the
// rule has ended.
func expiredAsCurrent(line string, today time.Time) bool {
	if passed, _ := plain.Ends(line, today); len(passed) == 0 {
		return false
	}
	low := strings.ToLower(line)
	for _, w := range endedWords {
		if strings.Contains(low, w) {
			return false
		}
	}
	return true
}

func (t *shapeTally) shape() AnswerShape {
	s := t.s
	s.LengthMedian, s.LengthP95 = quantile(t.lengths, 0.5), quantile(t.lengths, 0.95)
	s.CitationsMedian, s.CitationsP95 = quantile(t.cites, 0.5), quantile(t.cites, 0.95)
	s.LinesMedian, s.LinesP95 = quantile(t.lines, 0.5), quantile(t.lines, 0.95)
	return s
}

// quantile is the nearest-rank quantile of xs (0 for none).
func quantile(xs []int, q float64) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// answerLines counts an answer's non-empty lines but its first (the title) and its last (the
// source and official link).
func answerLines(answer string) int {
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(answer), "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return max(n-2, 0)
}
