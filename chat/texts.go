package chat

import (
	"fmt"
	"strings"

	"github.com/thutuc/thutuc/kb"
	"github.com/thutuc/thutuc/resolve"
)

// The fixed texts of the answers that are not drawn from sources. They name no fee, deadline
// or document, and only help channels that hold everywhere: the one-stop desk (bộ phận một
// cửa) of the commune or ward, and the national public service portal.

const helpChannels = "Để được hỗ trợ trực tiếp, bạn có thể hỏi bộ phận một cửa của UBND xã, phường nơi làm thủ tục, " +
	"hoặc tra cứu trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)."

const canHelpWith = "Tôi giúp tra cứu thủ tục hành chính: giấy tờ cần chuẩn bị, phí và lệ phí, thời hạn giải quyết, " +
	"nơi nộp, cách nộp trực tuyến, điều kiện và căn cứ pháp lý, có trích dẫn nguồn chính thức. " +
	"Ví dụ: “Làm hộ chiếu cần giấy tờ gì?”, “Đăng ký khai sinh mất bao lâu?”."

// noAnswerText is the answer when no procedure of the sources is likely: the message names
// none (noTopic), it is about a sector the sources do not cover (topic), or it is outside
// administrative procedures or not found.
func noAnswerText(noTopic bool, topic *kb.Topic) string {
	switch {
	case noTopic:
		return "Bạn muốn hỏi về thủ tục nào? Hãy nêu tên thủ tục hoặc việc cần làm, ví dụ “lệ phí làm hộ chiếu” " +
			"hay “đăng ký tạm trú cần giấy tờ gì”.\n\n" + helpChannels
	case topic != nil:
		where := helpChannels
		if ask := strings.TrimSuffix(strings.TrimSpace(topic.Ask), "."); ask != "" {
			where = "Bạn có thể hỏi " + ask + "."
		}
		return "Câu hỏi này thuộc lĩnh vực " + topic.Sector + ", chưa có trong các nguồn tôi dùng để trả lời, nên tôi không " +
			"trả lời để tránh hướng dẫn sai.\n\n" + where
	}
	return "Xin lỗi, tôi không tìm thấy thủ tục nào trong nguồn khớp với câu hỏi này, nên không trả lời để tránh " +
		"hướng dẫn sai.\n\n" + canHelpWith + "\n\n" + helpChannels
}

// clarifyText asks the facet's question and lists its options.
func clarifyText(f *resolve.Facet) string {
	var b strings.Builder
	b.WriteString(f.Question + "\n\n")
	if f.Kind == resolve.FacetConfirm {
		b.WriteString("Nếu đúng, hãy trả lời “đúng”. Nếu không phải, hãy nói rõ hơn anh/chị cần làm gì " +
			"(ví dụ: làm giấy tờ gì, cho ai, lần đầu hay làm lại).")
		return b.String()
	}
	for i, o := range f.Options {
		if o.Label == o.Title {
			fmt.Fprintf(&b, "%d. %s\n", i+1, o.Title)
		} else {
			fmt.Fprintf(&b, "%d. %s: %s\n", i+1, upperFirst(o.Label), o.Title)
		}
	}
	b.WriteString("\nHãy trả lời bằng số thứ tự hoặc vài chữ, ví dụ “cái thứ hai”.")
	return b.String()
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// declineText is the polite refusal of a manipulation or of help breaking the law.
func declineText(reason string) string {
	var why string
	switch reason {
	case declineFraud:
		why = "Tôi không thể hướng dẫn làm giả, tẩy xóa giấy tờ hay lách thủ tục: đó là hành vi vi phạm pháp luật. " +
			"Nếu giấy tờ của bạn có sai sót, tôi có thể chỉ thủ tục hợp pháp để sửa, ví dụ thủ tục thay đổi, " +
			"cải chính, bổ sung thông tin hộ tịch."
	case declineBribery:
		why = "Tôi không thể hướng dẫn việc đưa tiền hay quà ngoài quy định cho cán bộ. Bạn chỉ phải nộp phí, " +
			"lệ phí theo quy định và được nhận biên lai; tôi có thể cho bạn biết mức lệ phí và thời hạn giải quyết " +
			"chính thức của thủ tục."
	case declinePrivacy:
		why = "Thông tin cá nhân của người khác được pháp luật bảo vệ, tôi không thể tra cứu hay cung cấp. " +
			"Cơ quan có thẩm quyền chỉ cung cấp thông tin cư trú cho chính người đó hoặc theo đúng thủ tục."
	default:
		why = "Tôi không thể thay đổi cách làm việc, đóng vai hay chia sẻ hướng dẫn nội bộ. Mọi câu trả lời của tôi " +
			"đều dựa trên nguồn chính thức và có trích dẫn."
	}
	return "Xin lỗi, tôi không thể giúp yêu cầu này. " + why + "\n\n" + canHelpWith
}
