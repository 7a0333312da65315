package resolve

import "testing"

func TestOffTopicAbout(t *testing.T) {
	tests := []struct {
		name, q string
		title   string
		want    bool
	}{
		{"subject in the title", "Công ty muốn nhận chuyển nhượng đất để làm dự án đầu tư thì bao lâu?",
			"Tổ chức kinh tế nhận chuyển nhượng quyền sử dụng đất để thực hiện dự án đầu tư", false},
		{"subject in the title, typed without accents", "cong ty co du an dau tu dang duoc hoan VAT thi khai mau nao",
			"Khai thuế giá trị gia tăng đối với dự án đầu tư thuộc diện được hoàn thuế", false},
		{"subject not in the title", "làm hộ chiếu để đi du lịch", "Cấp hộ chiếu phổ thông", true},
		{"every subject must be in the title", "làm mất giấy miễn thị thực (miễn visa) thì xin cấp lại ở đâu",
			"Cấp lại giấy miễn thị thực tại Cục Quản lý xuất nhập cảnh", true},
		{"weight loss names no procedure", "đăng ký thường trú có giúp giảm 5kg không", "Đăng ký thường trú", true},
		{"not off topic", "đăng ký thường trú cho con", "Đăng ký thường trú", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OffTopicsOf(tt.q).About([]string{tt.title}); got != tt.want {
				t.Errorf("OffTopicsOf(%q).About(%q) = %v, want %v", tt.q, tt.title, got, tt.want)
			}
		})
	}
}
