package chat

import (
	"regexp"
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// The guards run before any search: a message that tries to manipulate the assistant or asks
// for help breaking the rules is declined, and one that is plainly about something else
// (weather, football, recipes) gets no answer, whatever the search finds.

// accentPhrase is a phrase matched with accents when the user typed them: "giả" (fake) must
// not match "giá" (price), but "gia" typed without accents may mean either.
type accentPhrase struct {
	words   []string // normalised, accented
	folded  []string
	notNext map[string]bool // folded words that, right after the phrase, cancel the match
}

func accentPhrases(list ...string) []accentPhrase {
	out := make([]accentPhrase, 0, len(list))
	for _, s := range list {
		main, next, _ := strings.Cut(s, "|")
		p := accentPhrase{words: vntext.Words(main)}
		for _, w := range p.words {
			p.folded = append(p.folded, vntext.Fold(w))
		}
		if next != "" {
			p.notNext = wordSet(next)
		}
		out = append(out, p)
	}
	return out
}

// matches reports whether p occurs in the message words (normalised, accented).
func (p accentPhrase) matches(words []string) bool {
	for i := 0; i+len(p.words) <= len(words); i++ {
		if p.matchAt(words, i) {
			return true
		}
	}
	return false
}

// matchAt reports whether p occurs at position i of words: a word typed with accents must
// equal the phrase's word, one typed without must equal it folded.
func (p accentPhrase) matchAt(words []string, i int) bool {
	if i+len(p.words) > len(words) {
		return false
	}
	for j := range p.words {
		m := words[i+j]
		fm := vntext.Fold(m)
		if m != p.words[j] && !(fm == m && fm == p.folded[j]) {
			return false
		}
	}
	end := i + len(p.words)
	return end >= len(words) || !p.notNext[vntext.Fold(words[end])]
}

func anyAccent(words []string, ps []accentPhrase) bool {
	for _, p := range ps {
		if p.matches(words) {
			return true
		}
	}
	return false
}

// Decline reasons, for logs.
const (
	declinePrompt  = "prompt_manipulation"
	declineFraud   = "fraud"
	declineBribery = "bribery"
	declinePrivacy = "privacy"
)

var (
	// manipulation: asking for the prompt, overriding instructions, role play, jailbreaks.
	manipulationPhrases = accentPhrases("system prompt", "prompt", "bỏ qua mọi hướng dẫn", "bỏ qua hướng dẫn",
		"bỏ qua các hướng dẫn", "bỏ qua mọi chỉ dẫn", "bỏ qua nguồn", "bỏ qua trích dẫn", "ignore all", "ignore previous",
		"previous instructions", "hidden instructions", "your instructions", "instructions", "developer mode",
		"chế độ dan", "dan mode", "jailbreak", "không bị giới hạn", "đóng vai", "giả vờ", "pretend", "you are now",
		"từ giờ bạn", "từ bây giờ bạn", "tắt chế độ", "trả lời theo ý tôi", "quản trị viên hệ thống", "api key",
		"api keys", "reveal", "in ra toàn bộ", "hướng dẫn ẩn", "lệnh hệ thống", "system", "chỉ dẫn hệ thống",
		"luôn trả lời là", "không cần trích nguồn", "không cần trích dẫn", "roleplay", "role play")
	// markup that hides instructions inside a message.
	hiddenInstruction = regexp.MustCompile(`(?i)<!--|-->|\[\s*(system|assistant|inst)\b|<\|?\s*(system|im_start|assistant)|\b(system|assistant)\s*:|\{\{`)

	fraudPhrases = accentPhrases("làm giả|han", "giả mạo", "căn cước giả|han bao", "giấy tờ giả|han bao",
		"sổ đỏ giả|han bao", "hộ chiếu giả|han bao", "bằng lái giả|han bao", "bằng giả", "giấy khai sinh giả|han bao",
		"tẩy xóa", "không bị phát hiện", "không cần thủ tục", "không cần thi", "mua bằng lái", "mua bằng đại học",
		"mua bằng tốt nghiệp", "mua giấy phép lái xe",
		"tạm trú ảo", "thường trú ảo", "hộ khẩu ảo", "không ở thật", "khai man", "gian lận", "lách luật", "qua mặt",
		"trái tuyến", "con dấu giả", "dấu giả", "sửa ngày sinh mà không", "làm sổ đỏ giả")
	briberyPhrases = accentPhrases("đút lót", "hối lộ", "lót tay", "bôi trơn", "phong bì", "đưa thêm|giay to ho so ban anh thong tin", "chi thêm tiền",
		"chạy hồ sơ", "chạy giấy tờ", "chạy thủ tục", "chạy sổ", "chạy chọt", "cửa sau", "cho khéo", "đưa tiền cho cán bộ",
		"bồi dưỡng cán bộ", "tiền cà phê", "tiền trà nước", "làm nhanh không cần xếp hàng")
	privacyPhrases = accentPhrases("dữ liệu cư trú của", "dữ liệu của", "thông tin cư trú của", "số cccd của",
		"số căn cước của", "số định danh của", "thông tin cá nhân của", "thông tin của người khác", "xem dữ liệu",
		"tra cứu thông tin của", "địa chỉ của ông", "địa chỉ của bà", "số điện thoại của", "thông tin của ông",
		"thông tin của bà")

	// offTopicPhrases name subjects outside administrative procedures.
	offTopicPhrases = accentPhrases("thời tiết", "bóng đá", "đá với", "đá bóng", "trận đấu", "nấu", "công thức nấu",
		"món ăn", "cổ phiếu", "chứng khoán", "uống thuốc", "thuốc gì", "đau đầu", "sốt cao", "bị bệnh", "visa",
		"thị thực", "giá vàng", "tỷ giá", "bài thơ", "làm thơ", "laptop", "xổ số", "giảm cân", "giảm béo",
		"dịch sang tiếng", "dịch giúp", "liên quân", "game", "lịch chiếu", "phim", "chuyện cười", "kể chuyện", "bitcoin",
		"crypto", "recommend", "rank", "người yêu", "bạn gái", "bạn trai", "lãi nhanh", "đầu tư", "công thức", "ca sĩ",
		"bài hát", "du lịch", "khách sạn nào", "nhà hàng", "ăn gì", "mặc gì", "viết giúp", "code", "lập trình")
	weightLoss = regexp.MustCompile(`\b\d+\s?kg\b`)
)

// declineReason returns why a message must be declined, or "" when it may be answered.
func declineReason(text string) string {
	words := vntext.Words(text)
	switch {
	case hiddenInstruction.MatchString(text), anyAccent(words, manipulationPhrases):
		return declinePrompt
	case anyAccent(words, fraudPhrases):
		return declineFraud
	case anyAccent(words, briberyPhrases):
		return declineBribery
	case anyAccent(words, privacyPhrases):
		return declinePrivacy
	}
	return ""
}

// offTopic reports whether a message names a subject outside administrative procedures.
func offTopic(text string) bool { return offTopicsOf(text).any() }

// offTopics is what makes a message off topic: the off-topic phrases it contains, and
// whether it asks about losing weight.
type offTopics struct {
	phrases []accentPhrase
	weight  bool
}

func offTopicsOf(text string) offTopics {
	var o offTopics
	words := vntext.Words(text)
	for _, p := range offTopicPhrases {
		if p.matches(words) {
			o.phrases = append(o.phrases, p)
		}
	}
	o.weight = weightLoss.MatchString(strings.ToLower(text))
	return o
}

func (o offTopics) any() bool { return o.weight || len(o.phrases) > 0 }

// about reports whether the message is off topic for a document with the given names. Most
// off-topic phrases also name a few procedures of the national catalog ("thị thực", "đầu
// tư", "cổ phiếu", "du lịch" all appear in official titles): a phrase the document's own name
// contains is the subject of that document, not another subject. "làm hộ chiếu để đi du
// lịch" stays off topic for the passport, whose names do not speak of travel.
func (o offTopics) about(names []string) bool {
	if o.weight {
		return true
	}
	for _, p := range o.phrases {
		named := false
		for _, n := range names {
			if p.matches(vntext.Words(n)) {
				named = true
				break
			}
		}
		if !named {
			return true
		}
	}
	return false
}
