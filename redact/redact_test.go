package redact_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/thutuc/thutuc/redact"
)

func TestText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// Identity cards, old and new.
		{"số CCCD 001203004567 bị mất", "số CCCD [số CCCD] bị mất"},
		{"cccd cua toi la 001 203 004 567", "cccd cua toi la [số CCCD]"},
		{"căn cước 079.088.001.234 hết hạn", "căn cước [số CCCD] hết hạn"},
		{"CMND số 012345678 đổi sang CCCD", "CMND số [số CMND] đổi sang CCCD"},
		{"chung minh nhan dan 171234567", "chung minh nhan dan [số CMND]"},
		{"số 012345678", "số [số CMND]"},
		// Phones, mobile and landline, with and without the country code.
		{"Gọi cho tôi 0901234567, CCCD 001203004567", "Gọi cho tôi [số điện thoại], CCCD [số CCCD]"},
		{"sdt 0912.345.678", "sdt [số điện thoại]"},
		{"liên hệ +84 912 345 679 nhé", "liên hệ [số điện thoại] nhé"},
		{"zalo 84912345679", "zalo [số điện thoại]"},
		{"số máy bàn 024 3825 1234", "số máy bàn [số điện thoại]"},
		{"0912-345-678 là số của tôi", "[số điện thoại] là số của tôi"},
		// Passports, e-mail, bank accounts.
		{"hộ chiếu C1234567 bị mất", "hộ chiếu [số hộ chiếu] bị mất"},
		{"passport number b7654321", "passport number [số hộ chiếu]"},
		{"gửi vào nguyen.van.a@gmail.com giúp", "gửi vào [e-mail] giúp"},
		{"email: a_b+c@so-tp.hanoi.gov.vn", "email: [e-mail]"},
		{"stk 19033456789012 vietcombank", "stk [số tài khoản] vietcombank"},
		{"số tài khoản 0011004123456", "số tài khoản [số tài khoản]"},
		{"thẻ 4111 1111 1111 1111", "thẻ [số tài khoản]"},
	} {
		if got := redact.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// What is not personal data stays: fees, sums, dates, times, codes, document numbers, years,
// counts and durations.
func TestTextKeeps(t *testing.T) {
	for _, in := range []string{
		"lệ phí 200.000 đồng",
		"phí 1.500.000 đ một lần",
		"nộp 100000000 đồng tiền sử dụng đất",
		"mất 10.000.000.000 đồng vốn điều lệ",
		"phạt 5.000.000-10.000.000 đồng",
		"ngày 01/07/2025",
		"từ 1/1/2023 không dùng sổ hộ khẩu",
		"thủ tục 1.000894 và 2.000986",
		"mã 1.014910",
		"Luật Cư trú số 68/2020/QH14",
		"Nghị định 123/2015/NĐ-CP",
		"giờ làm việc 7:30 - 17:00",
		"năm 2024 và 2025",
		"trong 15 ngày làm việc",
		"cấp tỉnh 2 bản, cấp xã 3 bản",
		"mẫu TK01 và CT01",
		"diện tích 120.5 m2",
		"điều 12 khoản 3",
		"con tôi sinh năm 2010, 14 tuổi",
		"mất 20-30 ngày",
	} {
		if got := redact.Text(in); got != in {
			t.Errorf("Text(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestID(t *testing.T) {
	a, b := redact.ID("abcdefghijklmnopqrstuvwxyz"), redact.ID("abcdefghijklmnopqrstuvwxy2")
	if a == b || len(a) != 8 || a != redact.ID("abcdefghijklmnopqrstuvwxyz") || strings.Contains(a, "abc") {
		t.Errorf("ID: %q, %q", a, b)
	}
	if redact.ID("") != "" {
		t.Error("ID of nothing is not empty")
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"số CCCD 001203004567", "+84 912 345 679", "lệ phí 200.000 đồng", "a@b.vn", "C1234567", "\xff0912345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := redact.Text(s)
		if again := redact.Text(got); again != got {
			t.Errorf("not idempotent: %q → %q → %q", s, got, again)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("invalid UTF-8 from %q: %q", s, got)
		}
	})
}
