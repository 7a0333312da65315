package kb

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"procedures/bo-cong-an.jsonl": {Data: []byte(`{"code": "1.000889", "action": ["cấp đổi"], "family": "Thẻ căn cước", "names": ["đổi căn cước", "đổi CCCD", "đổi căn cước"], "circumstances": ["hết hạn"], "applicants": ["cá nhân"], "common": true}
{"code": "1.000890", "action": ["cấp lại"], "family": "thẻ  căn cước", "names": ["làm lại căn cước bị mất"], "common": true}

{"code": "1.000891", "action": ["cấp mới"], "family": "hộ chiếu", "names": ["làm hộ chiếu"], "common": true}
`)},
		"topics.jsonl": {Data: []byte(`{"key": "giao-duc", "sector": "giáo dục", "words": ["vào lớp 1", "học bạ", "bằng tốt nghiệp"], "ask": "Phòng giáo dục"}
`)},
	}
	b, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3 {
		t.Fatalf("Len = %d, want 3", b.Len())
	}
	e, ok := b.Entry(" 1.000889")
	if !ok {
		t.Fatal("1.000889 not found")
	}
	if e.Family != "thẻ căn cước" || !slices.Equal(e.Names, []string{"đổi căn cước", "đổi CCCD"}) {
		t.Errorf("entry not normalised: %+v", e)
	}
	if got := b.Siblings("1.000889"); !slices.Equal(got, []string{"1.000890"}) {
		t.Errorf("Siblings = %v, want [1.000890] (the family is matched after normalising case and spaces)", got)
	}
	if got := b.Siblings("1.000891"); len(got) != 0 {
		t.Errorf("Siblings of a family of one = %v", got)
	}
	if _, ok := b.Entry("9.999999"); ok {
		t.Error("unknown code found")
	}
	topic, n, ok := b.TopicOf("dang ky cho con vao lop 1 can gi")
	if !ok || topic.Key != "giao-duc" || n != 1 {
		t.Errorf("TopicOf = %v %d %v, want giao-duc 1 true", topic.Key, n, ok)
	}
	if _, _, ok := b.TopicOf("làm hộ chiếu"); ok {
		t.Error("a covered question matched an uncovered topic")
	}
	var nilBase *Base
	if _, ok := nilBase.Entry("1.000889"); ok || nilBase.Len() != 0 {
		t.Error("a nil base knows something")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"bad json", `{"code": "1"`, "line 1"},
		{"unknown field", `{"code": "1", "action": ["cấp mới"], "family": "x", "names": ["y"], "title": "z"}`, "unknown field"},
		{"unknown action", `{"code": "1", "action": ["làm"], "family": "x", "names": ["y"]}`, `action "làm"`},
		{"unknown applicant", `{"code": "1", "action": ["cấp mới"], "family": "x", "names": ["y"], "applicants": ["ai đó"]}`, `applicant "ai đó"`},
		{"no family", `{"code": "1", "action": ["cấp mới"], "names": ["y"]}`, "no family"},
		{"no names", `{"code": "1", "action": ["cấp mới"], "family": "x"}`, "no names"},
		{"no code", `{"action": ["cấp mới"], "family": "x", "names": ["y"]}`, "no code"},
		{"twice", "{\"code\": \"1\", \"action\": [\"cấp mới\"], \"family\": \"x\", \"names\": [\"y\"]}\n{\"code\": \"1\", \"action\": [\"cấp mới\"], \"family\": \"x\", \"names\": [\"y\"]}", "line 2: code 1 is given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"procedures/x.jsonl": {Data: []byte(tt.data)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "x.jsonl") {
				t.Errorf("err = %v, want one naming x.jsonl and %q", err, tt.want)
			}
		})
	}
}

func TestDeriveActions(t *testing.T) {
	tests := []struct {
		title string
		want  []string
	}{
		{"Cấp đổi thẻ căn cước (thực hiện tại cấp tỉnh)", []string{"cấp đổi"}},
		{"Thủ tục cấp lại Giấy phép lái xe", []string{"cấp lại"}},
		{"Cấp, cấp lại, điều chỉnh giấy phép nhập khẩu thuốc thú y", []string{"cấp mới", "cấp lại", "điều chỉnh"}},
		{"Gia hạn, sửa đổi, bổ sung Giấy chứng nhận người khai thác tàu bay", []string{"gia hạn", "điều chỉnh"}},
		{"Đăng ký kết hôn", []string{"đăng ký"}},
		{"Trình báo mất hộ chiếu", []string{"trình báo"}},
		{"Cấp giấy phép xây dựng lần đầu", []string{"cấp mới"}},
		{"Tàu biển hoạt động tuyến nội địa vào cảng", []string{"khác"}},
	}
	for _, tt := range tests {
		if got := DeriveActions(tt.title); !slices.Equal(got, tt.want) {
			t.Errorf("DeriveActions(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}
