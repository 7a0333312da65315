package chat

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/vntext"
)

// Notes the composer adds after a fact, in plain words: a rule whose end date has passed, and
// papers that no longer exist which a record still asks for. They carry no fact of their own
// beyond the date the fact itself states, the law that ended the paper and what replaces it,
// and no number the sources do not give.

// sourceNotePrefix starts a line in which a source's importer says how the record reads
// (for officers); citizens and coaches are not shown it.
const sourceNotePrefix = "ghi chu nguon"

// hide reports whether a fact is left out of this audience's answer.
func (b *builder) hide(f fact) bool {
	return b.audience != AudienceOfficer && strings.HasPrefix(vntext.Key(f.display), sourceNotePrefix)
}

// untilDate finds the end of a rule: "đến hết 31/12/2025", "đến hết ngày 31/12/2025".
var untilDate = regexp.MustCompile(`(?i)đến hết (?:ngày )?(\d{1,2})/(\d{1,2})/(\d{4})`)

// abolished papers: what a fact must name, from when it no longer holds, and the note.
var abolished = []struct {
	keys  []string
	from  time.Time
	note  string
	about func(passage) bool
}{
	{[]string{"so ho khau", "so tam tru"}, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		"Lưu ý: sổ hộ khẩu, sổ tạm trú nay không còn được dùng (Luật Cư trú); cơ quan tra thông tin cư trú trong Cơ sở dữ liệu quốc gia về dân cư, không cần nộp sổ.",
		isProcedure},
	{[]string{"chung minh nhan dan", "cmnd"}, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		"Lưu ý: chứng minh nhân dân nay đã hết giá trị sử dụng (Luật Căn cước); dùng thẻ căn cước hoặc thẻ căn cước công dân còn hạn.",
		isProcedure},
}

// isProcedure: a procedure's passage that may ask for a paper (not its legal basis), and
// does not already say the paper is no longer valid.
func isProcedure(p passage) bool {
	if p.kind == thutuc.KindRegulation || p.section == thutuc.SectionLegalBasis {
		return false
	}
	k := " " + vntext.Key(p.text) + " "
	return !strings.Contains(k, " khong con gia tri ") && !strings.Contains(k, " het gia tri ")
}

// notes are the notes shown with a fact today.
func (b *builder) notes(p passage, f fact) []string {
	var out []string
	var passed, current []string
	for _, m := range untilDate.FindAllStringSubmatch(f.display, -1) {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		end := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if end.AddDate(0, 0, 1).After(b.today) {
			current = append(current, m[0])
		} else {
			passed = append(passed, m[0])
		}
	}
	if len(passed) > 0 {
		note := "Lưu ý: phần áp dụng " + strings.Join(passed, ", ") + " đã hết hạn áp dụng"
		if len(current) > 0 {
			note += "; phần áp dụng " + strings.Join(current, ", ") + " vẫn còn."
		} else {
			note += "; nguồn chưa cập nhật mức hiện hành — hãy hỏi bộ phận một cửa nơi nộp hồ sơ."
		}
		out = append(out, note)
	}
	key := " " + vntext.Key(f.display) + " "
	for _, a := range abolished {
		if b.today.Before(a.from) || !a.about(p) || strings.Contains(key, " khong con ") || strings.Contains(key, " bo nop ") {
			continue
		}
		for _, k := range a.keys {
			if strings.Contains(key, " "+k+" ") {
				out = append(out, a.note)
				break
			}
		}
	}
	return out
}
