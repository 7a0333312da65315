package resolve

import (
	"slices"
	"strconv"
	"strings"

	"github.com/thutuc/thutuc/postgres"
)

// Facet is what separates the procedures a clarification offers, and the question that asks
// it in plain words.
type Facet struct {
	Kind     string   `json:"kind"` // action, applicant, level or title
	Question string   `json:"question"`
	Options  []Option `json:"options"`
}

// Option is one answer to a facet's question: a chip.
type Option struct {
	Label string `json:"label"` // what the chip says
	ID    string `json:"id"`    // the document it picks
	Title string `json:"title"`
	// Match are the words a reply may use to pick it (its label, its circumstances, the
	// words of its title the others lack).
	Match []string `json:"match,omitempty"`
}

// Facet kinds.
const (
	FacetAction    = "action"
	FacetApplicant = "applicant"
	FacetLevel     = "level"
	FacetTitle     = "title"
	FacetConfirm   = "confirm" // one procedure offered: is it the one meant?
)

// yesWords are the words of a short reply that accept a lone procedure offered.
var yesWords = WordSet("dung vang u uh uk ok oke okay yes phai co da 1")

// ConfirmLabel is the chip of a lone procedure offered.
const ConfirmLabel = "Đúng, thủ tục này"

// actionLabels say an action the way a citizen would choose it.
var actionLabels = map[string]string{
	"cấp mới": "làm lần đầu", "cấp lại": "làm lại vì bị mất hoặc hỏng", "cấp đổi": "đổi vì hết hạn hoặc thay đổi thông tin",
	"gia hạn": "gia hạn khi sắp hết hạn", "điều chỉnh": "sửa đổi, bổ sung nội dung", "thu hồi": "thu hồi",
	"chấm dứt": "chấm dứt, giải thể", "tạm ngừng": "tạm ngừng", "xóa": "xóa đăng ký", "đăng ký": "đăng ký",
	"đăng ký thay đổi": "đăng ký thay đổi", "thông báo": "thông báo", "xác nhận": "xin xác nhận", "trình báo": "trình báo mất",
	"khai": "khai, quyết toán", "miễn giảm hoàn": "xin miễn, giảm, hoàn", "công nhận": "xin công nhận",
	"chấp thuận": "xin chấp thuận", "phê duyệt": "xin phê duyệt", "thẩm định": "xin thẩm định", "giải quyết": "yêu cầu giải quyết",
	"hưởng chế độ": "hưởng chế độ", "chuyển đổi": "chuyển đổi", "chuyển nhượng": "chuyển nhượng",
}

// applicantLabels say who applies.
var applicantLabels = map[string]string{
	"cá nhân": "cá nhân", "hộ gia đình": "hộ gia đình", "hộ kinh doanh": "hộ kinh doanh", "doanh nghiệp": "doanh nghiệp",
	"hợp tác xã": "hợp tác xã", "tổ chức": "tổ chức", "người nước ngoài": "người nước ngoài",
	"người Việt Nam ở nước ngoài": "người Việt Nam ở nước ngoài", "cơ quan nhà nước": "cơ quan nhà nước",
	"cán bộ công chức": "cán bộ, công chức",
}

var levelLabels = map[string]string{"xa": "cấp xã", "tinh": "cấp tỉnh", "bo": "cấp bộ, trung ương", "khac": "cơ quan khác"}

// FacetOf chooses the facet that separates the offered candidates: the action when each does
// a different one, else who applies, else the level, else their titles.
func FacetOf(offered []Candidate) *Facet {
	if len(offered) == 1 {
		c := offered[0]
		return &Facet{Kind: FacetConfirm, Question: "Có phải anh/chị hỏi về thủ tục “" + c.Result.Title + "” không?",
			Options: []Option{{Label: ConfirmLabel, ID: c.ID(), Title: c.Result.Title}}}
	}
	try := func(kind string, label func(Candidate) string, question func([]string) string) *Facet {
		labels := make([]string, len(offered))
		seen := map[string]bool{}
		for i, c := range offered {
			l := label(c)
			if l == "" || seen[l] {
				return nil
			}
			seen[l], labels[i] = true, l
		}
		f := &Facet{Kind: kind, Question: question(labels)}
		for i, c := range offered {
			f.Options = append(f.Options, Option{Label: labels[i], ID: c.ID(), Title: c.Result.Title, Match: matchWords(c, labels[i], offered)})
		}
		return f
	}
	either := func(lead string) func([]string) string {
		return func(ls []string) string {
			return lead + strings.Join(ls[:len(ls)-1], ", ") + " hay " + ls[len(ls)-1] + "?"
		}
	}
	if f := try(FacetAction, func(c Candidate) string {
		if c.Entry == nil || len(c.Entry.Actions) != 1 {
			return ""
		}
		return actionLabels[c.Entry.Actions[0]]
	}, either("Anh/chị cần ")); f != nil {
		return f
	}
	if f := try(FacetApplicant, func(c Candidate) string {
		// The first kind of applicant of c that no other offered candidate has.
		if c.Entry == nil {
			return ""
		}
		for _, a := range c.Entry.Applicants {
			shared := false
			for _, o := range offered {
				shared = shared || o.ID() != c.ID() && o.Entry != nil && slices.Contains(o.Entry.Applicants, a)
			}
			if !shared {
				return applicantLabels[a]
			}
		}
		return ""
	}, either("Anh/chị nộp với tư cách ")); f != nil {
		return f
	}
	if f := try(FacetLevel, func(c Candidate) string {
		keys := postgres.LevelKeys(c.Result.Level)
		if len(keys) != 1 {
			return ""
		}
		return levelLabels[keys[0]]
	}, either("Anh/chị làm thủ tục ở ")); f != nil {
		return f
	}
	which := func([]string) string { return "Anh/chị hỏi về thủ tục nào dưới đây?" }
	if f := try(FacetTitle, func(c Candidate) string { return c.Result.Title }, which); f != nil {
		return f
	}
	// Titles alike: the code (or, without one, the position) tells them apart.
	i := 0
	return try(FacetTitle, func(c Candidate) string {
		i++
		if c.Result.Code != "" {
			return c.Result.Title + " (mã " + c.Result.Code + ")"
		}
		return c.Result.Title + " (" + strconv.Itoa(i) + ")"
	}, which)
}

// matchWords are the folded words that pick option c: those of its label, its circumstances
// and its title that no other offered candidate's title has.
func matchWords(c Candidate, label string, offered []Candidate) []string {
	others := map[string]bool{}
	for _, o := range offered {
		if o.ID() == c.ID() {
			continue
		}
		for _, w := range FoldedWords(o.Result.Title) {
			others[w] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		for _, w := range FoldedWords(s) {
			if !seen[w] && !stopWords[w] && !edgeWords[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	add(label)
	if c.Entry != nil {
		for _, s := range c.Entry.Circumstances {
			add(s)
		}
	}
	for _, w := range FoldedWords(c.Result.Title) {
		if !others[w] {
			add(w)
		}
	}
	return out
}

// ordinalWords are the words of a reply that pick by position.
var ordinalWords = map[string]int{"nhat": 1, "dau": 1, "truoc": 1, "hai": 2, "nhi": 2, "ba": 3, "tu": 4, "bon": 4}

// Pick returns the option a reply to a clarification picks — a number ("2", "số 2"), a
// position in words ("cái thứ hai", "cái đầu", "cái cuối") or words of the option ("cái bị
// mất", "doanh nghiệp") — or -1 when it picks none.
func Pick(reply string, options []Option) int {
	words := FoldedWords(reply)
	n := len(options)
	if len(words) == 0 || n == 0 {
		return -1
	}
	if n == 1 {
		// A lone procedure offered: a short yes accepts it; anything else — "không phải",
		// or a new question — is a message of its own.
		if len(words) <= 4 && !slices.Contains(words, "khong") && !slices.Contains(words, "ko") {
			for _, w := range words {
				if yesWords[w] {
					return 0
				}
			}
		}
		return -1
	}
	if len(words) <= 4 {
		for _, w := range words {
			if k, err := strconv.Atoi(strings.TrimRight(w, ".)")); err == nil && k >= 1 && k <= n {
				return k - 1
			}
		}
		for i, w := range words {
			if w == "cuoi" || w == "sau" && n == 2 && i > 0 && words[i-1] == "cai" {
				return n - 1
			}
			prevOK := i > 0 && (words[i-1] == "thu" || words[i-1] == "cai" || words[i-1] == "so")
			if k, ok := ordinalWords[w]; ok && k <= n && (prevOK || w == "dau" || len(words) == 1) {
				return k - 1
			}
		}
	}
	best, bestN, tie := -1, 0, false
	for i, o := range options {
		have := map[string]bool{}
		for _, w := range o.Match {
			have[w] = true
		}
		k := 0
		for _, w := range words {
			if have[w] && !stopWords[w] {
				k++
			}
		}
		switch {
		case k > bestN:
			best, bestN, tie = i, k, false
		case k == bestN && k > 0:
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}
