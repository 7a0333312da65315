// Package plain knows the wording citizens should not be shown: phrases about how a source
// reads ("nguồn chỉ ghi con số này", "ô phí ghi …", "0 bản chính") rather than what a citizen
// needs to know. Importers write what such a phrase means instead; answers for citizens are
// checked against this list.
package plain

import (
	"regexp"
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// mechanics are the phrases that speak of the source's mechanics: its cells, fields, tables
// and what it "writes" rather than what holds. Each is matched accented in accented text (so
// "bằng cách thức" is not "bảng cách thức") and folded in text typed without diacritics, and
// never across punctuation (so "Nguồn: Ghi nhận …" is not "nguồn ghi").
var mechanics = []string{
	"nguồn chỉ ghi",
	"nguồn ghi",
	"nguồn không ghi",
	"nguồn không mô tả",
	"không nêu đơn vị",
	"không ghi đơn vị",
	"0 bản chính",
	"0 bản sao",
	"ô phí",
	"ô lệ phí",
	"ô thời gian",
	"bảng bị gộp",
	"bị gộp ở",
	"không có thông tin$", // the source's empty field, alone: not "không có thông tin về việc …"
	"mô tả kèm theo",
	"ở mục yêu cầu",
	"ở mục cơ quan",
	"trường dữ liệu",
	"bản ghi nguồn",
	"nguồn không nêu mã",
	"thông tin về mục này",
	"nguồn cũng ghi",
	"nguồn vẫn ghi",
	"nguồn còn ghi",
	"nguồn có liệt kê",
	"nguồn chỉ liệt kê",
	"nguồn mô tả là",
	"nguồn nhắc",
	"ghi trong nguồn",
	"trình tự trong nguồn",
	"các bước của nguồn",
	"phần mô tả của nguồn",
	"phần lưu ý của nguồn",
	"phần hồ sơ của nguồn",
	"ghi chú của nguồn",
	"đối tượng của nguồn",
	"thực hiện của nguồn",
	"bảng cách thức",
	"ở dòng này",
	"ở dòng nộp",
}

// segments cuts a text at punctuation: a phrase does not run across it.
var segments = regexp.MustCompile(`[.,;:!?()\[\]{}"“”«»‘’'—–/|*_#]+|\s-\s`)

// Mechanics returns the source-mechanics phrases a text holds, folded (vntext.Key), in the
// list's order. A phrase ending in "$" counts only at the end of a stretch between
// punctuation.
func Mechanics(text string) []string {
	accented := vntext.HasDiacritics(text)
	var parts []string
	for _, seg := range segments.Split(text, -1) {
		if accented {
			parts = append(parts, " "+strings.Join(vntext.Words(seg), " ")+" ")
		} else {
			parts = append(parts, " "+vntext.Key(seg)+" ")
		}
	}
	var out []string
	for _, m := range mechanics {
		phrase, atEnd := strings.CutSuffix(m, "$")
		want := " " + strings.Join(vntext.Words(phrase), " ") + " "
		if !accented {
			want = " " + vntext.Key(phrase) + " "
		}
		for _, p := range parts {
			if atEnd && strings.HasSuffix(p, want) || !atEnd && strings.Contains(p, want) {
				out = append(out, vntext.Key(phrase))
				break
			}
		}
	}
	return out
}
