package chat

import (
	"regexp"

	"github.com/thutuc/thutuc/resolve"

	"github.com/thutuc/thutuc/vntext"
)

// The guards run before any search: a message that tries to manipulate the assistant or asks
// for help breaking the rules is declined, and one that is plainly about something else
// (weather, football, recipes: resolve.OffTopic) gets no answer, whatever the search finds.

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

	fraudPhrases = resolve.AccentPhrases("làm giả|han", "giả mạo", "căn cước giả|han bao", "giấy tờ giả|han bao",
		"sổ đỏ giả|han bao", "hộ chiếu giả|han bao", "bằng lái giả|han bao", "bằng giả", "giấy khai sinh giả|han bao",
		"tẩy xóa", "không bị phát hiện", "không cần thủ tục", "không cần thi", "mua bằng lái", "mua bằng đại học",
		"mua bằng tốt nghiệp", "mua giấy phép lái xe",
		"tạm trú ảo", "thường trú ảo", "hộ khẩu ảo", "không ở thật", "khai man", "gian lận", "lách luật", "qua mặt",
		"trái tuyến", "con dấu giả", "dấu giả", "sửa ngày sinh mà không", "làm sổ đỏ giả")
	briberyPhrases = resolve.AccentPhrases("đút lót", "hối lộ", "lót tay", "bôi trơn", "phong bì", "đưa thêm|giay to ho so ban anh thong tin", "chi thêm tiền",
		"chạy hồ sơ", "chạy giấy tờ", "chạy thủ tục", "chạy sổ", "chạy chọt", "cửa sau", "cho khéo", "đưa tiền cho cán bộ",
		"bồi dưỡng cán bộ", "tiền cà phê", "tiền trà nước", "làm nhanh không cần xếp hàng")
	privacyPhrases = resolve.AccentPhrases("dữ liệu cư trú của", "dữ liệu của", "thông tin cư trú của", "số cccd của",
		"số căn cước của", "số định danh của", "thông tin cá nhân của", "thông tin của người khác", "xem dữ liệu",
		"tra cứu thông tin của", "địa chỉ của ông", "địa chỉ của bà", "số điện thoại của", "thông tin của ông",
		"thông tin của bà")
)

// declineReason returns why a message must be declined, or "" when it may be answered.
func declineReason(text string) string {
	words := vntext.Words(text)
	switch {
	case hiddenInstruction.MatchString(text), resolve.AnyAccent(words, manipulationPhrases):
		return declinePrompt
	case resolve.AnyAccent(words, fraudPhrases):
		return declineFraud
	case resolve.AnyAccent(words, briberyPhrases):
		return declineBribery
	case resolve.AnyAccent(words, privacyPhrases):
		return declinePrivacy
	}
	return ""
}
