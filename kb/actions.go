package kb

import (
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// Actions are what a procedure does to its object, as the base names them.
var Actions = []string{
	"cấp mới", "cấp lại", "cấp đổi", "gia hạn", "điều chỉnh", "thu hồi", "chấm dứt", "tạm ngừng",
	"xóa", "đăng ký", "đăng ký thay đổi", "thông báo", "xác nhận", "trình báo", "khai",
	"miễn giảm hoàn", "công nhận", "chấp thuận", "phê duyệt", "thẩm định", "giải quyết",
	"hưởng chế độ", "chuyển đổi", "chuyển nhượng", "khác",
}

// Applicants are the kinds of applicant the base names.
var Applicants = []string{
	"cá nhân", "hộ gia đình", "hộ kinh doanh", "doanh nghiệp", "hợp tác xã", "tổ chức",
	"người nước ngoài", "người Việt Nam ở nước ngoài", "cơ quan nhà nước", "cán bộ công chức",
}

// actionCues are the title words that give an action, tried at every word of the title's head,
// longest first. A title names its actions before its object: "Cấp, cấp lại, điều chỉnh giấy
// phép…".
var actionCues = []struct {
	words  string
	action string
}{
	{"cấp lại", "cấp lại"}, {"cấp đổi", "cấp đổi"}, {"đổi", "cấp đổi"}, {"cấp mới", "cấp mới"},
	{"gia hạn", "gia hạn"}, {"điều chỉnh", "điều chỉnh"}, {"sửa đổi", "điều chỉnh"},
	{"bổ sung", "điều chỉnh"}, {"thay đổi", "đăng ký thay đổi"}, {"thu hồi", "thu hồi"},
	{"chấm dứt", "chấm dứt"}, {"giải thể", "chấm dứt"}, {"tạm ngừng", "tạm ngừng"},
	{"xóa", "xóa"}, {"đăng ký", "đăng ký"}, {"thông báo", "thông báo"}, {"xác nhận", "xác nhận"},
	{"trình báo", "trình báo"}, {"khai", "khai"}, {"kê khai", "khai"}, {"miễn", "miễn giảm hoàn"},
	{"giảm", "miễn giảm hoàn"}, {"hoàn", "miễn giảm hoàn"}, {"công nhận", "công nhận"},
	{"chấp thuận", "chấp thuận"}, {"phê duyệt", "phê duyệt"}, {"thẩm định", "thẩm định"},
	{"giải quyết", "giải quyết"}, {"hưởng", "hưởng chế độ"}, {"chuyển đổi", "chuyển đổi"},
	{"chuyển nhượng", "chuyển nhượng"}, {"cấp", "cấp mới"},
}

// DeriveActions reads the actions a title names at its head ("Cấp, cấp lại giấy phép…" →
// cấp mới, cấp lại), skipping a leading "Thủ tục". A title that names none is "khác".
func DeriveActions(title string) []string {
	words := vntext.Words(title)
	if len(words) > 1 && words[0] == "thủ" && words[1] == "tục" {
		words = words[2:]
	}
	var out []string
	add := func(a string) {
		for _, x := range out {
			if x == a {
				return
			}
		}
		out = append(out, a)
	}
	// Actions stand at the head, joined by commas, "và" or "/"; Tokens drops the punctuation,
	// so read cues while they follow one another.
	for i := 0; i < len(words); {
		n, a := cueAt(words, i)
		if n == 0 {
			if words[i] == "và" || words[i] == "hoặc" || words[i] == "lần" || words[i] == "đầu" {
				i++
				continue
			}
			break
		}
		add(a)
		i += n
	}
	if len(out) == 0 {
		return []string{"khác"}
	}
	return out
}

func cueAt(words []string, i int) (int, string) {
	best, action := 0, ""
	for _, c := range actionCues {
		cw := strings.Fields(c.words)
		if len(cw) <= best || i+len(cw) > len(words) {
			continue
		}
		match := true
		for j, w := range cw {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if match {
			best, action = len(cw), c.action
		}
	}
	return best, action
}
