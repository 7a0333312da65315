package chat

import (
	"github.com/thutuc/thutuc/resolve"
	"reflect"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/postgres"
)

func TestAnswerable(t *testing.T) {
	svc := &Service{tuning: DefaultTuning()}
	cand := func(title string, named, cover float64, pairs int, share float64) candidate {
		return candidate{name: postgres.DocumentName{Title: title}, named: named, cover: cover, pairs: pairs, pairShare: share}
	}
	const permit = "Cấp giấy phép nuôi trồng thủy sản trong phạm vi bảo vệ công trình thủy lợi"
	tests := []struct {
		name string
		q    string
		c    candidate
		want bool
	}{
		{"named", "đăng ký thường trú", cand("Đăng ký thường trú", 1, 1, 1, 1), true},
		// A long question whose two pairs found side by side are a small share of its pairs.
		{"long question, two pairs", "Muốn thả lồng nuôi cá trong lòng hồ thủy lợi thì phải xin giấy phép, xin giấy này có tốn tiền không?",
			cand(permit, 0.15, 0.62, 2, 0.22), true},
		{"one pair, small share", "tu van chon truong dai hoc nganh cong nghe thong tin",
			cand("Thay đổi, cải chính, bổ sung thông tin hộ tịch", 0.4, 0.55, 1, 0.1), false},
		{"pairs without cover", "chi nhánh hãng luật nước ngoài muốn đóng cửa", cand("Đăng ký hoạt động của chi nhánh", 0.44, 0.4, 3, 0.38), false},
		{"no pairs", "passport trinh bao mat roi lai tim thay", cand("Trình báo mất hộ chiếu phổ thông", 0.33, 0.64, 0, 0), false},
		{"off topic for the candidate", "vợ tôi làm mất giấy miễn visa",
			cand("Cấp lại giấy miễn thị thực", 0.62, 0.68, 9, 0.64), false},
		{"off-topic phrase in its title", "vợ tôi làm mất giấy miễn thị thực, xin cấp lại ở Cục Quản lý xuất nhập cảnh",
			cand("Cấp lại giấy miễn thị thực tại Cục Quản lý xuất nhập cảnh, Bộ Công an", 0.62, 0.68, 9, 0.64), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := svc.answerable(tt.c, resolve.OffTopicsOf(tt.q)); got != tt.want {
				t.Errorf("answerable = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCloseWhenUnsure(t *testing.T) {
	svc := &Service{tuning: DefaultTuning()}
	cand := func(id string, named, score float64) candidate {
		return candidate{res: thutuc.SearchResult{DocumentID: id, Title: "Thủ tục " + id, Kind: thutuc.KindProcedure},
			named: named, eff: named, score: score}
	}
	tests := []struct {
		name  string
		cands []candidate
		want  []string
	}{
		// The question names the best one: a runner-up 4% behind is not a reason to ask.
		{"named", []candidate{cand("a", 0.8, 1.5), cand("b", 0.7, 1.44), cand("c", 0.2, 1.2)}, []string{"a"}},
		// Nothing is named: the runner-up 4% behind is as likely meant.
		{"covered only", []candidate{cand("a", 0.2, 1.3), cand("b", 0.2, 1.25), cand("c", 0.1, 1.1)}, []string{"a", "b"}},
		{"covered only, clear lead", []candidate{cand("a", 0.2, 1.3), cand("b", 0.2, 1.2)}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range svc.close(tt.cands) {
				got = append(got, c.res.DocumentID)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("close = %v, want %v", got, tt.want)
			}
		})
	}
}
