package mdwrite

import (
	"testing"

	"gopkg.in/yaml.v3"
)

func TestEscapeStart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"## Tiêu đề", `\## Tiêu đề`},
		{"> trích", `\> trích`},
		{"| a | b |", `\| a | b |`},
		{"- gạch", `\- gạch`},
		{"+ cộng", `\+ cộng`},
		{"* sao", `\* sao`},
		{"1. Khoản một", `1\. Khoản một`},
		{"12) Điểm", `12\) Điểm`},
		{"<div>", `\<div>`},
		{"[a]: http://x", `\[a]: http://x`},
		{"===", `\===`},
		{"2025 là năm", "2025 là năm"},
		{"Bình thường", "Bình thường"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := EscapeStart(tt.in); got != tt.want {
			t.Errorf("EscapeStart(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, s := range []string{
		"", "1.001456", "2025-07-01", "yes", "null", "Cấp hộ chiếu", `a "quoted" \ back`, "---", "# not a comment",
		"key: value", "tab\there", "line\nbreak", "nel\u0085 ls\u2028 bom\ufeff", "\x00\x1f\x7f", "[1, 2]", "{a: b}",
		"&anchor *alias !tag", "%directive", "@at `tick`", "emoji 😀",
	} {
		var got map[string]string
		if err := yaml.Unmarshal([]byte("k: "+Quote(s)+"\n"), &got); err != nil {
			t.Errorf("Quote(%q) = %s: %v", s, Quote(s), err)
			continue
		}
		if got["k"] != s {
			t.Errorf("Quote(%q) decodes to %q", s, got["k"])
		}
	}
}
