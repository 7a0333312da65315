package kb

import "testing"

func TestVariantKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"Cấp đổi thẻ căn cước", "Cấp đổi thẻ căn cước", true},
		{"Cấp đổi thẻ căn cước", "CẤP ĐỔI THẺ CĂN CƯỚC", true},
		{"Cấp đổi thẻ căn cước", "Cấp đổi thẻ căn cước (cấp tỉnh)", true},
		{"Cấp đổi thẻ căn cước cấp xã", "Cấp đổi thẻ căn cước - cấp Bộ", true},
		{"Cấp lại thẻ bảo hiểm y tế trong Công an nhân dân (thực hiện tại cấp tỉnh)",
			"Cấp lại thẻ bảo hiểm y tế trong Công an nhân dân (thực hiện tại cấp trung ương)", true},
		{"Đăng ký thường trú tại cấp huyện", "Đăng ký thường trú", true},
		{"Đăng ký thường trú ở cấp xã", "Dang ky thuong tru o cap xa", true},
		{"Cấp đổi thẻ căn cước", "Cấp lại thẻ căn cước", false},
		{"Đăng ký thường trú", "Xóa đăng ký thường trú", false},
		// "cấp III, cấp IV" are building grades, "cấp bổ sung" and "cấp tính" no level.
		{"Cấp giấy phép xây dựng công trình cấp III", "Cấp giấy phép xây dựng công trình", false},
		{"Cấp bổ sung giấy phép", "Cấp giấy phép", false},
		{"Báo cáo ngộ độc cấp tính", "Báo cáo ngộ độc", false},
		// The leading verb "Cấp" is no level phrase.
		{"Cấp thẻ căn cước", "Thẻ căn cước", false},
	}
	for _, tt := range tests {
		ka, kb := VariantKey(tt.a), VariantKey(tt.b)
		if (ka == kb) != tt.same {
			t.Errorf("VariantKey(%q) = %q, VariantKey(%q) = %q; same = %v, want %v", tt.a, ka, tt.b, kb, ka == kb, tt.same)
		}
	}
	if k := VariantKey("Cấp tỉnh"); k != "cap tinh" {
		t.Errorf("a title that is only a level phrase keeps it: %q", k)
	}
}
