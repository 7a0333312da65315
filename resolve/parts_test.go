package resolve

import (
	"slices"
	"testing"
)

func TestSplitNeeds(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"khai sinh cho con và làm CCCD cho tôi", []string{"khai sinh cho con", "làm CCCD cho tôi"}},
		{"lam ho chieu va doi bang lai xe o dau", []string{"lam ho chieu", "doi bang lai xe o dau"}},
		{"Tôi cần đăng ký kết hôn. Ngoài ra muốn làm hộ chiếu?", []string{"Tôi cần đăng ký kết hôn", "muốn làm hộ chiếu"}},
		// A piece that names no subject stays with the one before.
		{"đăng ký kết hôn cần giấy gì và mất bao lâu", []string{"đăng ký kết hôn cần giấy gì mất bao lâu"}},
		{"mã 1.000894 là thủ tục gì", []string{"mã 1.000894 là thủ tục gì"}},
		{"đổi bằng lái", []string{"đổi bằng lái"}},
		// A long story is read as one question.
		{"Tôi ở Hà Nội. Con tôi mới sinh. Vợ tôi mất căn cước. Nhà tôi muốn xây thêm tầng. Tôi muốn mở quán.", nil},
	}
	for _, tt := range tests {
		if got := splitNeeds(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("splitNeeds(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
