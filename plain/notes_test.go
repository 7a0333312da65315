package plain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/thutuc/thutuc/plain"
)

func TestEndedNote(t *testing.T) {
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		line, want string
	}{
		{"Trực tuyến: 100.000 đồng, áp dụng đến hết 31/12/2025.", "đã hết hạn áp dụng; nguồn chưa cập nhật"},
		{"100.000 đồng đến hết 31/12/2025; từ 01/01/2026 đến hết 31/12/2026 thu 150.000 đồng.", "phần áp dụng đến hết 31/12/2026 vẫn còn"},
		{"Mức giảm áp dụng đến hết ngày 02/12/2026.", ""}, // its last day
		{"Lệ phí 50.000 đồng.", ""},
	} {
		got := plain.EndedNote(tc.line, today)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("EndedNote(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestPaperNote(t *testing.T) {
	for _, tc := range []struct {
		line  string
		today time.Time
		want  string
	}{
		{"Sổ hộ khẩu: 1 bản chính.", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "sổ hộ khẩu, sổ tạm trú nay không còn được dùng"},
		{"Sổ hộ khẩu: 1 bản chính.", time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC), ""}, // still in use then
		{"Bản sao CMND hoặc thẻ căn cước công dân.", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "chứng minh nhân dân nay đã hết giá trị"},
		{"Sổ hộ khẩu không còn giá trị từ 01/01/2023.", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"Nghị định 104/2022/NĐ-CP về bỏ nộp, xuất trình sổ hộ khẩu.", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ""},
	} {
		if got := plain.PaperNote(tc.line, tc.today); tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("PaperNote(%q, %s) = %q, want %q", tc.line, tc.today.Format("2006"), got, tc.want)
		}
	}
}

func TestIsSourceNote(t *testing.T) {
	for line, want := range map[string]bool{
		"Ghi chú nguồn: bảng thành phần hồ sơ bị gộp.":   true,
		"ghi chu nguon: so thu tu theo trang chinh thuc": true,
		"Ghi chú: sổ hộ khẩu không còn giá trị.":         false,
		"Nguồn: Đăng ký thường trú (mã 1.004222).":       false,
	} {
		if got := plain.IsSourceNote(line); got != want {
			t.Errorf("IsSourceNote(%q) = %v, want %v", line, got, want)
		}
	}
}
