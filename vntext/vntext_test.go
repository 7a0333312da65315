package vntext

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hoà Bình", "hòa bình"},
		{"hòa bình", "hòa bình"},
		{"Thuỷ lợi", "thủy lợi"},
		{"khoẻ mạnh", "khỏe mạnh"},
		{"quý khách", "quý khách"},
		{"HOÀNG", "hoàng"},
		{"toà án", "tòa án"},
		{"xoá đăng ký", "xóa đăng ký"},
		{"  nhiều   khoảng\ttrắng  ", "nhiều khoảng trắng"},
		// NFD input (decomposed) becomes NFC.
		{"ho\u0323\u0302 chie\u0302\u0301u", "hộ chiếu"},
		{"CCCD bị mất?", "cccd bị mất?"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"đăng ký thường trú", "dang ky thuong tru"},
		{"Đồng", "Dong"},
		{"hộ họ hồ", "ho ho ho"},
		{"làm hộ chiếu hết bao nhiêu tiền", "lam ho chieu het bao nhieu tien"},
		{"plain ascii", "plain ascii"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"hộ chiếu, 200.000 đồng!", []string{"hộ", "chiếu", "200.000", "đồng"}},
		{"mã 1.001456 theo 49/2019/qh14", []string{"mã", "1.001456", "theo", "49/2019/qh14"}},
		{"123/2015/nđ-cp và tt-bca", []string{"123/2015/nđ-cp", "và", "tt", "bca"}},
		{"mẫu CT01.", []string{"mẫu", "CT01"}},
		{"a-b", []string{"a", "b"}},
		{"", nil},
		{"...", nil},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	if a, b := Key("Cấp đổi thẻ Căn cước"), Key("cap doi the can cuoc"); a != b {
		t.Errorf("Key mismatch: %q vs %q", a, b)
	}
	if a, b := Key("Hoà"), Key("Hòa"); a != b {
		t.Errorf("Key tone placement mismatch: %q vs %q", a, b)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Hoà Bình", "thuỷ", "quý", "ho\u0323", "đ", "\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Errorf("Normalize not idempotent: %q -> %q -> %q", s, n, Normalize(n))
		}
		if k := Fold(n); HasDiacritics(k) {
			t.Errorf("Fold left diacritics: %q", k)
		}
	})
}

// FuzzFold checks the table-driven Fold against folding by decomposition.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Đồng hồ", "ỹ ẫ ặ ự", "ñ ü ç", "ho\u0323\u0302", "Ωμέγα й"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		s = norm.NFC.String(s)
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Errorf("Fold(%q) = %q, foldSlow = %q", s, got, want)
		}
	})
}
