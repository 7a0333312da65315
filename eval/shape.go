package eval

import (
	"regexp"
	"slices"
	"strconv"
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

// untilDate finds a rule's end date: "đến hết 31/12/2025", "đến hết ngày 31/12/2025".
var untilDate = regexp.MustCompile(`(?i)đến hết (?:ngày )?(\d{1,2})/(\d{1,2})/(\d{4})`)

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
	for _, m := range untilDate.FindAllStringSubmatch(line, -1) {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		end := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if !end.AddDate(0, 0, 1).After(today) {
			low := strings.ToLower(line)
			ended := false
			for _, w := range endedWords {
				ended = ended || strings.Contains(low, w)
			}
			if !ended {
				return true
			}
		}
	}
	return false
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
