package catalog

import (
	"reflect"
	"testing"
)

func TestParseResults(t *testing.T) {
	tests := []struct {
		in   string
		want []Result
	}{
		{"", nil},
		{"Giấy phépMã: KQ.G01.000001Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiện",
			[]Result{{"Giấy phép", "KQ.G01.000001"}}},
		{"Văn bản AMã: KQ.G02.1Văn bản B.Mã: KQ.G02.2Từ khóa", []Result{{"Văn bản A", "KQ.G02.1"}, {"Văn bản B.", "KQ.G02.2"}}},
		{"Quyết định", []Result{{"Quyết định", ""}}},
	}
	for _, tt := range tests {
		if got := parseResults(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseResults(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
