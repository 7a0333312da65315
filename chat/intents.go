package chat

import (
	"regexp"
	"sort"

	"github.com/thutuc/thutuc/resolve"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/vntext"
)

// Intents: what a question asks about a procedure.
const (
	IntentDocuments  = "documents"
	IntentFees       = "fees"
	IntentDeadline   = "deadline"
	IntentSteps      = "steps"
	IntentWhere      = "where"
	IntentOnline     = "online"
	IntentConditions = "conditions"
	IntentLegalBasis = "legal_basis"
	IntentForms      = "forms"
	IntentResult     = "result"
	IntentOverview   = "overview"
)

// intentRule is one intent with the phrases that signal it. Weak phrases count only when no
// strong phrase of any intent matched ("được không" is a condition only if nothing else is
// asked).
type intentRule struct {
	intent string
	strong []resolve.AccentPhrase
	weak   []resolve.AccentPhrase
}

// intentRules are matched with accents when the user typed them and without otherwise, so
// "le phi" and "lệ phí" both count but "Hà Nội nộp" is not "nơi nộp". When phrases
// of different intents overlap in the question, the longer one wins: "có giá trị bao lâu" is
// about the result, not the processing time; "bao lâu thì xong" is a deadline, not a result.
var intentRules = []intentRule{
	{intent: IntentDocuments, strong: resolve.AccentPhrases("giấy tờ gì", "giấy tờ", "cần gì", "cần những gì", "cần mang", "mang gì",
		"mang theo", "mang những gì", "thành phần hồ sơ", "hồ sơ gồm", "hồ sơ gì", "hồ sơ cần", "gồm những gì", "gồm gì",
		"chứng cứ", "cần những giấy", "cần giấy gì", "cần thêm giấy", "chuẩn bị gì", "chuẩn bị những gì",
		"khai những thông tin gì", "thành phần", "hồ sơ gom", "hồ sơ đề nghị", "cần gi")},
	{intent: IntentFees, strong: resolve.AccentPhrases("lệ phí", "phí", "bao nhiêu tiền", "mất tiền", "tốn tiền", "hết tiền",
		"hết bao nhiêu", "tốn bao nhiêu", "mất phí", "tốn phí", "miễn phí", "0 đồng", "mức thu", "giảm lệ phí", "nhiêu tiền",
		"mất bao nhiêu tiền", "đóng tiền", "trả tiền")},
	{intent: IntentDeadline, strong: resolve.AccentPhrases("bao lâu", "mấy ngày", "bao nhiêu ngày", "thời hạn", "trong ngày", "lấy ngay",
		"khi nào", "bao giờ", "trước mấy giờ", "mấy giờ", "ngày làm việc", "bao lâu thì xong", "bao lâu thì có",
		"đến khi nào", "mất mấy", "thời gian giải quyết")},
	{intent: IntentSteps, strong: resolve.AccentPhrases("các bước", "những bước", "trình tự", "như thế nào", "làm sao", "làm thế nào",
		"kiểu gì", "cách nào", "hướng dẫn", "thế nào", "quy trình", "làm gì")},
	{intent: IntentWhere, strong: resolve.AccentPhrases("ở đâu", "nơi nào", "chỗ nào", "về đâu", "nộp ở", "nộp tại", "cơ quan nào",
		"phường hay", "hay sở", "thẩm quyền", "đi đâu", "làm ở", "xã nào", "nơi nộp", "tại đâu", "lên phường",
		"ra phường", "ra công an", "nơi thường trú")},
	{intent: IntentOnline, strong: resolve.AccentPhrases("online", "trực tuyến", "qua mạng", "vneid", "dịch vụ công", "trên điện thoại",
		"qua app", "app", "vssid", "trên mạng", "toàn trình", "điện tử online")},
	{intent: IntentConditions, strong: resolve.AccentPhrases("điều kiện", "bắt buộc", "có phải", "trường hợp nào", "bao nhiêu tuổi",
		"đủ tuổi", "ai phải", "ai được", "ai quyết", "có cần", "ý kiến của ai", "không được", "tối thiểu", "tối đa",
		"bị xóa", "có bị", "được phép", "yêu cầu gì", "có được đổi", "thi lại", "mấy nơi"),
		weak: resolve.AccentPhrases("được không", "có được", "được ko", "duoc k")},
	{intent: IntentLegalBasis, strong: resolve.AccentPhrases("căn cứ pháp lý", "căn cứ", "luật nào", "văn bản nào", "văn bản pháp lý",
		"nghị định nào", "thông tư nào", "điều nào", "điều mấy", "quy định tại", "theo luật", "pháp lý", "cơ sở pháp lý")},
	{intent: IntentForms, strong: resolve.AccentPhrases("mẫu", "tờ khai", "biểu mẫu", "mẫu đơn", "mẫu số", "điền", "tải về",
		"mẫu nào")},
	{intent: IntentResult, strong: resolve.AccentPhrases("kết quả", "nhận được gì", "được nhận", "nhận được những", "nhận giấy gì",
		"có giấy gì", "giá trị", "có giá trị bao lâu", "giá trị trong bao lâu", "có thời hạn bao lâu", "thời hạn bao lâu",
		"được cấp", "nhận ở đâu", "gửi về nhà", "nhận bằng cách nào", "được bao nhiêu tiền", "mấy bản", "xong",
		"nhận được", "có mã số thuế", "được cấp sổ")},
	{intent: IntentOverview, strong: resolve.AccentPhrases("thủ tục nào", "thủ tục gì", "khác gì", "khác nhau"),
		weak: resolve.AccentPhrases("là gì", "dùng để", "dùng được không", "còn hiệu lực", "hiệu lực")},
}

// formCode matches form codes typed in a question (CT01, TK01a, DC02): a weak sign of forms.
var formCode = regexp.MustCompile(`^[a-z]{2}\d{2}[a-z]?$`)

type intentMatch struct {
	intent     string
	start, end int
	weak       bool
}

// DetectIntents returns the intents of a question, main intent first (the one asked first),
// with or without diacritics. A question that asks nothing specific gets [overview].
func DetectIntents(text string) []string {
	intents, _ := detectIntents(vntext.Words(text))
	return intents
}

// detectIntents returns the intents of normalised words and which words the intent phrases
// used.
func detectIntents(words []string) ([]string, []bool) {
	var ms []intentMatch
	for _, r := range intentRules {
		ms = append(ms, ruleMatches(words, r.intent, r.strong, false)...)
		ms = append(ms, ruleMatches(words, r.intent, r.weak, true)...)
	}
	for i, w := range words {
		if formCode.MatchString(vntext.Fold(w)) {
			ms = append(ms, intentMatch{intent: IntentForms, start: i, end: i + 1, weak: true})
		}
	}
	ms = resolveOverlaps(ms)
	used := make([]bool, len(words))
	for _, m := range ms {
		for i := m.start; i < m.end; i++ {
			used[i] = true
		}
	}
	hasStrong := false
	for _, m := range ms {
		hasStrong = hasStrong || !m.weak
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	var out []string
	seen := map[string]bool{}
	for _, m := range ms {
		if (m.weak && hasStrong) || seen[m.intent] {
			continue
		}
		seen[m.intent] = true
		out = append(out, m.intent)
	}
	out = adjustIntents(out)
	if len(out) == 0 {
		return []string{IntentOverview}, used
	}
	return out, used
}

func ruleMatches(words []string, intent string, ps []resolve.AccentPhrase, weak bool) []intentMatch {
	var out []intentMatch
	for _, p := range ps {
		for i := 0; i+p.Len() <= len(words); i++ {
			if p.MatchAt(words, i) {
				out = append(out, intentMatch{intent: intent, start: i, end: i + p.Len(), weak: weak})
			}
		}
	}
	return out
}

// resolveOverlaps keeps, among matches that share words, the longest (the earliest on ties);
// matches of the same intent never exclude each other.
func resolveOverlaps(ms []intentMatch) []intentMatch {
	sort.SliceStable(ms, func(i, j int) bool {
		li, lj := ms[i].end-ms[i].start, ms[j].end-ms[j].start
		if li != lj {
			return li > lj
		}
		return ms[i].start < ms[j].start
	})
	var kept []intentMatch
	for _, m := range ms {
		ok := true
		for _, k := range kept {
			if k.intent != m.intent && m.start < k.end && k.start < m.end {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, m)
		}
	}
	return kept
}

// adjustIntents applies the few orderings position alone gets wrong: "nộp online có mất phí
// không" asks about the fee, and the overview intent only leads when nothing else is asked.
func adjustIntents(in []string) []string {
	idx := func(s string) int {
		for i, x := range in {
			if x == s {
				return i
			}
		}
		return -1
	}
	if f, o := idx(IntentFees), idx(IntentOnline); f > 0 && o == 0 {
		in[0], in[f] = in[f], in[0]
	}
	return in
}

// sectionsFor maps an intent to the canonical sections that answer it.
func sectionsFor(intent string) []string {
	switch intent {
	case IntentDocuments:
		return []string{thutuc.SectionDocuments}
	case IntentFees:
		return []string{thutuc.SectionFees}
	case IntentDeadline:
		return []string{thutuc.SectionDeadline}
	case IntentSteps:
		return []string{thutuc.SectionSteps}
	case IntentWhere:
		return []string{thutuc.SectionAgency, thutuc.SectionChannels}
	case IntentOnline:
		return []string{thutuc.SectionChannels, thutuc.SectionFees, thutuc.SectionDeadline}
	case IntentConditions:
		return []string{thutuc.SectionConditions, thutuc.SectionApplicants}
	case IntentLegalBasis:
		return []string{thutuc.SectionLegalBasis}
	case IntentForms:
		return []string{thutuc.SectionForms}
	case IntentResult:
		return []string{thutuc.SectionResult}
	}
	return []string{thutuc.SectionOverview, thutuc.SectionDocuments, thutuc.SectionFees, thutuc.SectionDeadline}
}

// hasIntent reports whether intents contains intent.
func hasIntent(intents []string, intent string) bool {
	for _, i := range intents {
		if i == intent {
			return true
		}
	}
	return false
}
