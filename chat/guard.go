package chat

import (
	"regexp"
	"slices"
	"strings"

	"github.com/thutuc/thutuc/resolve"
	"github.com/thutuc/thutuc/vntext"
)

// The guards run before any search: a message that tries to manipulate the assistant or asks
// for help breaking the rules is declined. One that is about something else (weather,
// football, recipes) is not a guard's: the resolver weighs its off-topic words
// (resolve.OffTopicsOf) against what the search finds, and says "not in our sources".

// Decline reasons, for logs.
const (
	declinePrompt  = "prompt_manipulation"
	declineFraud   = "fraud"
	declineBribery = "bribery"
	declinePrivacy = "privacy"
)

var (
	// manipulation: asking for the prompt, overriding instructions, role play, jailbreaks.
	manipulationPhrases = resolve.AccentPhrases("system prompt", "prompt", "bỏ qua mọi hướng dẫn", "bỏ qua hướng dẫn",
		"bỏ qua các hướng dẫn", "bỏ qua mọi chỉ dẫn", "bỏ qua nguồn", "bỏ qua trích dẫn", "ignore all", "ignore previous",
		"previous instructions", "hidden instructions", "your instructions", "instructions", "developer mode",
		"chế độ dan", "dan mode", "jailbreak", "không bị giới hạn", "đóng vai", "giả vờ", "pretend", "you are now",
		"từ giờ bạn", "từ bây giờ bạn", "tắt chế độ", "trả lời theo ý tôi", "quản trị viên hệ thống", "api key",
		"api keys", "reveal", "in ra toàn bộ", "hướng dẫn ẩn", "lệnh hệ thống", "system", "chỉ dẫn hệ thống",
		"luôn trả lời là", "không cần trích nguồn", "không cần trích dẫn", "roleplay", "role play")
	// markup that hides instructions inside a message.
	hiddenInstruction = regexp.MustCompile(`(?i)<!--|-->|\[\s*(system|assistant|inst)\b|<\|?\s*(system|im_start|assistant)|\b(system|assistant)\s*:|\{\{`)

	// documents a forger fakes; a "fake" word anywhere with one of them is a forgery request.
	documentPhrases = resolve.AccentPhrases("cccd", "căn cước", "cmnd", "chứng minh", "cmt", "hộ chiếu", "passport", "visa",
		"bằng lái", "giấy phép lái xe", "gplx", "bằng", "bằng cấp", "văn bằng", "sổ đỏ", "sổ hồng", "giấy chứng nhận",
		"hộ khẩu", "khai sinh", "giấy tờ", "hồ sơ", "con dấu", "chữ ký", "giấy xác nhận", "xác nhận", "cà vẹt",
		"biển số", "giấy phép", "sao kê", "hợp đồng", "giấy khám sức khỏe", "bảng điểm", "học bạ", "chứng chỉ", "thẻ",
		"giấy đăng ký", "đăng ký xe", "id", "license", "licence", "certificate", "diploma", "degree", "document",
		"documents", "papers", "stamp", "seal", "signature", "card", "permit", "red book", "pink book", "address", "residence")
	fakePhrases = resolve.AccentPhrases("làm giả|han", "lm giả|han", "giả mạo", "fake", "forge", "forged", "forging", "forgery",
		"counterfeit", "falsify", "falsified", "tamper", "photoshop", "tẩy xóa")
	// cheating on a declaration or a procedure, whatever the document.
	cheatPhrases = resolve.AccentPhrases("khai gian", "khai man", "khai láo", "gian lận", "lách luật", "qua mặt",
		"không bị phát hiện", "khỏi bị phát hiện", "không cần thủ tục", "không cần thi", "mua bằng", "mua giấy phép lái xe",
		"không cần khám", "tạm trú ảo", "thường trú ảo", "hộ khẩu ảo", "khẩu ảo", "cư trú ảo", "không ở thật", "nhưng không ở",
		"mà không ở", "trái tuyến", "trốn thuế", "né thuế", "trốn nghĩa vụ", "trốn phạt", "hợp đồng hai giá", "ghi giá thấp",
		"khai giá thấp", "khai tăng tuổi", "khai giảm tuổi", "khai bớt tuổi", "bớt tuổi", "giảm tuổi để", "lie about",
		"lie on", "false declaration", "without getting caught", "without being caught", "evade", "tax evasion", "bypass the law")
	// using another person's papers or name.
	identityPhrases = resolve.AccentPhrases("mạo danh", "giả danh", "đội lốt", "dùng tên người khác", "lấy tên người khác",
		"mượn tên", "mượn cccd", "mượn căn cước", "mượn chứng minh", "mượn giấy tờ", "mượn bằng", "cccd của người khác", "căn cước của người khác", "giấy tờ của người khác", "cccd người khác",
		"căn cước người khác", "impersonate", "identity theft", "steal someone", "someone else's", "someone else s",
		"another person's")

	briberyPhrases = resolve.AccentPhrases("đút lót", "hối lộ", "lót tay", "bôi trơn|xe may dong o", "đưa phong bì", "phong bì cho",
		"phong bì cán bộ", "đưa thêm|giay to ho so ban anh thong tin", "chi thêm tiền", "chạy hồ sơ", "chạy giấy tờ",
		"chạy thủ tục", "chạy sổ", "chạy chọt", "cửa sau", "cho khéo", "đưa tiền cho cán bộ", "bồi dưỡng cán bộ",
		"bồi dưỡng cho cán bộ", "tiền cà phê", "tiền trà nước", "làm nhanh không cần xếp hàng", "bribe", "bribes",
		"bribing", "bribery", "kickback", "under the table", "pay the officer", "pay extra to skip", "chi ngoài|te",
		"tiền ngoài", "ngoài luồng", "bồi dưỡng thêm", "biếu cán bộ", "quà cho cán bộ",
		"pay off", "speed money", "tea money", "grease")
	// money to an officer for speed, in any order ("bao nhiêu tiền thì cán bộ duyệt nhanh").
	officerWords = resolve.AccentPhrases("cán bộ", "công an", "cảnh sát", "officer", "official", "police")
	moneyWords   = resolve.AccentPhrases("tiền", "money", "pay", "cash")
	speedWords   = resolve.AccentPhrases("nhanh", "sớm", "khỏi xếp hàng", "không xếp hàng", "faster", "quickly", "skip")
	// a question about reporting, recognising or the punishment of these acts, or from their
	// victim, is answered.
	innocentPhrases = resolve.AccentPhrases("thu hồi", "giám định", "nghi là", "nghi ngờ", "trình báo", "tố giác", "tố cáo", "báo công an", "báo ở đâu", "báo ai",
		"phân biệt", "nhận biết", "thật hay giả", "thật và giả", "thật giả", "là thật", "cách kiểm tra", "kiểm tra xem",
		"phạt bao nhiêu", "phạt vì dùng", "phạt vì sử dụng", "phạt vì làm", "phạt vì có", "phạt vì bằng", "phạt thế nào", "phạt gì", "tội gì", "bị tội", "xử phạt", "xử lý ra sao", "xử lý thế nào",
		"bị xử lý", "hình phạt", "truy cứu", "bị lừa", "bị mạo danh", "bị giả mạo", "bị làm giả", "bị người khác",
		"bị đánh cắp", "bị lấy cắp", "người khác dùng", "report", "penalty", "punishment", "punished", "genuine",
		"real or fake", "victim", "used my", "stolen", "scam")

	// another person's data: what of whom.
	privacyPhrases = append(resolve.AccentPhrases("thông tin của người khác", "thông tin người khác",
		"thông tin cá nhân người khác", "dữ liệu người khác", "home address of", "personal data of", "address of my",
		"look up someone", "someone's address", "someone's phone", "someone's cccd", "someone's id number"),
		ofWhom([]string{"dữ liệu", "dữ liệu cư trú", "thông tin", "thông tin cư trú", "thông tin cá nhân", "số cccd",
			"số căn cước", "số định danh", "số điện thoại", "địa chỉ", "địa chỉ nhà", "nơi ở"},
			[]string{"người khác", "ông", "bà", "anh", "chị", "cô", "chú", "hàng xóm", "vợ", "chồng", "người yêu",
				"người yêu cũ", "bạn gái", "bạn trai", "người này", "người đó", "ai đó", "một người", "nhân viên"})...)
)

// ofWhom returns the phrases "what của whom".
func ofWhom(what, whom []string) []resolve.AccentPhrase {
	var out []string
	for _, a := range what {
		for _, b := range whom {
			out = append(out, a+" của "+b)
		}
	}
	return resolve.AccentPhrases(out...)
}

// fakeSaid reports whether the message speaks of faking something: "giả" typed with its
// accent (not "tác giả", "giả sử"…), a "fake" phrase, or — typed without accents, where "gia"
// may be giá or gia hạn — "gia" at most two words after a document ("cccd gia o dau").
func fakeSaid(words []string) bool {
	for i, w := range words {
		if w != "giả" {
			continue
		}
		if i > 0 && words[i-1] == "tác" || i+1 < len(words) && notFake[words[i+1]] {
			continue
		}
		return true
	}
	if resolve.AnyAccent(words, fakePhrases) || slices.Contains(words, "phôi") {
		return true
	}
	// "gia" also stands in accented text (tham gia, chuyên gia, gia công): only a message typed
	// without any accent is read for it.
	for _, w := range words {
		if vntext.HasDiacritics(w) {
			return false
		}
	}
	for i := 1; i < len(words); i++ {
		if words[i] != "gia" || i+1 < len(words) && notFakeFolded[words[i+1]] || notFakeBefore[words[i-1]] {
			continue
		}
		// the document may end a few words before ("hop dong lao dong gia")
		for _, d := range documentPhrases {
			for gap := 0; gap <= 2; gap++ {
				if n := d.Len(); n+gap <= i && d.MatchAt(words, i-n-gap) {
					return true
				}
			}
		}
	}
	return false
}

var (
	notFake       = map[string]bool{"sử": true, "định": true, "thiết": true, "vờ": true, "dụ": true, "thuyết": true}
	notFakeFolded = resolve.WordSet("han bao bn tien re dinh su thiet bieu ca cong tri tang giam nhap vi tang hanh")
	notFakeBefore = resolve.WordSet("tham chuyen danh dau quoc nha tac cong tang ngoai thong dai dinh ban co")
)

// wrongdoing returns the decline reason of a request for help with fraud, forgery, bribery or
// using another person's papers, wherever its words stand; "" when there is none or when the
// message asks about reporting, recognising or punishing it.
func wrongdoing(words []string) string {
	reason := ""
	switch {
	case fakeSaid(words) && resolve.AnyAccent(words, documentPhrases), resolve.AnyAccent(words, cheatPhrases),
		strings.Contains(" "+strings.Join(words, " ")+" ", " khai khống "), // accented only: "khai khong" is "khai không"
		resolve.AnyAccent(words, identityPhrases),
		changedBirthDate(words):
		reason = declineFraud
	case resolve.AnyAccent(words, briberyPhrases),
		resolve.AnyAccent(words, officerWords) && resolve.AnyAccent(words, moneyWords) && resolve.AnyAccent(words, speedWords):
		reason = declineBribery
	}
	if reason != "" && innocent(words) {
		return ""
	}
	return reason
}

// innocent reports whether the message asks about reporting, recognising or punishing a
// wrongdoing, or comes from its victim. "bị phạt" and "phát hiện" count unless negated ("để
// khỏi bị phạt", "không bị phát hiện": the wrongdoer's worry).
func innocent(words []string) bool {
	if resolve.AnyAccent(words, innocentPhrases) {
		return true
	}
	for i := range words {
		for _, p := range negatable {
			if p.MatchAt(words, i) && !(i > 0 && negation[vntext.Fold(words[i-1])] || i > 1 && negation[vntext.Fold(words[i-2])]) {
				return true
			}
		}
	}
	return false
}

var (
	negatable = resolve.AccentPhrases("bị phạt", "phát hiện")
	negation  = resolve.WordSet("khong khoi tranh de")
)

// changedBirthDate: changing a birth date or age "to" get something ("sửa năm sinh … để …"),
// not correcting a mistake.
func changedBirthDate(words []string) bool {
	return resolve.AnyAccent(words, changeAge) && slices.Contains(words, "để") && !resolve.AnyAccent(words, mistakeWords)
}

var (
	changeAge    = resolve.AccentPhrases("sửa năm sinh", "sửa ngày sinh", "sửa tuổi", "đổi năm sinh", "đổi tuổi", "khai tăng tuổi", "khai giảm tuổi")
	mistakeWords = resolve.AccentPhrases("sai", "nhầm", "lỗi", "không đúng")
)

// declineReason returns why a message must be declined, or "" when it may be answered.
func declineReason(text string) string {
	words := vntext.Words(text)
	switch {
	case hiddenInstruction.MatchString(text), resolve.AnyAccent(words, manipulationPhrases):
		return declinePrompt
	}
	if r := wrongdoing(words); r != "" {
		return r
	}
	switch {
	case resolve.AnyAccent(words, privacyPhrases):
		return declinePrivacy
	}
	return ""
}
