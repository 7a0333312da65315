package plain

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/thutuc/thutuc/vntext"
)

// Notes shown with a line of a source, in plain words: a rule whose end date has passed, and a
// paper that no longer exists which a record still asks for. They carry no fact of their own
// beyond the date the line itself states, the law that ended the paper and what replaces it,
// and no number the sources do not give.

// untilDate finds the end of a rule: "đến hết 31/12/2025", "đến hết ngày 31/12/2025".
var untilDate = regexp.MustCompile(`(?i)đến hết (?:ngày )?(\d{1,2})/(\d{1,2})/(\d{4})`)

// Ends returns the rule ends a line names ("đến hết 31/12/2025", "đến hết ngày …"), as
// written: those passed by today, and those still to come (a rule holds through its last day).
func Ends(line string, today time.Time) (passed, current []string) {
	for _, m := range untilDate.FindAllStringSubmatch(line, -1) {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		end := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if end.AddDate(0, 0, 1).After(today) {
			current = append(current, m[0])
		} else {
			passed = append(passed, m[0])
		}
	}
	return passed, current
}

// EndedNote is the note for a line naming a rule's end ("đến hết 31/12/2025") that has passed
// by today, or "". When the line names a later end too, the note says that part still holds.
func EndedNote(line string, today time.Time) string {
	passed, current := Ends(line, today)
	if len(passed) == 0 {
		return ""
	}
	note := "Lưu ý: phần áp dụng " + strings.Join(passed, ", ") + " đã hết hạn áp dụng"
	if len(current) > 0 {
		return note + "; phần áp dụng " + strings.Join(current, ", ") + " vẫn còn."
	}
	return note + "; nguồn chưa cập nhật mức hiện hành — hãy hỏi bộ phận một cửa nơi nộp hồ sơ."
}

// sourceNotePrefix starts a line in which an importer says how a record reads, for officers
// (folded).
const sourceNotePrefix = "ghi chu nguon"

// IsSourceNote reports whether a line is a remark on how the source reads ("Ghi chú nguồn: …"),
// which only officers are shown.
func IsSourceNote(line string) bool {
	return strings.HasPrefix(vntext.Key(line), sourceNotePrefix)
}

// abolished papers: the folded words that name one, from when it no longer holds, the note.
var abolished = []struct {
	keys []string
	from time.Time
	note string
}{
	{[]string{"so ho khau", "so tam tru"}, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		"Lưu ý: sổ hộ khẩu, sổ tạm trú nay không còn được dùng (Luật Cư trú); cơ quan tra thông tin cư trú trong Cơ sở dữ liệu quốc gia về dân cư, không cần nộp sổ."},
	{[]string{"chung minh nhan dan", "cmnd"}, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		"Lưu ý: chứng minh nhân dân nay đã hết giá trị sử dụng (Luật Căn cước); dùng thẻ căn cước hoặc thẻ căn cước công dân còn hạn."},
}

// PaperNote is the note for a line that asks for a paper no longer valid today (sổ hộ khẩu,
// chứng minh nhân dân), or "" — also when the line itself says the paper is gone.
func PaperNote(line string, today time.Time) string {
	key := " " + vntext.Key(line) + " "
	if strings.Contains(key, " khong con ") || strings.Contains(key, " bo nop ") || strings.Contains(key, " het gia tri ") {
		return ""
	}
	for _, a := range abolished {
		if today.Before(a.from) {
			continue
		}
		for _, k := range a.keys {
			if strings.Contains(key, " "+k+" ") {
				return a.note
			}
		}
	}
	return ""
}
