package catalog

import "testing"

func TestGarbledName(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"1.nxinnhnconnui.doc", true}, // "Đơn xin nhận con nuôi" without its Vietnamese letters
		{"PhlcII.docx", true},
		{"Mus02-PhlcIII.docx", true},
		{"10.1.PLCpGCNcsotoANHKnngh-Copy.docx", true},
		{"Mẫu số 04d_Phieu yeu cau dang ky tbxltsbd.docx", true},
		{"MauDanhsachthuyenvien.docx", false}, // unaccented but readable
		{"Mau don de nghi cap, gia han giay phep.docx", false},
		{"Mẫu số 01.docx", false},
		{"Ms02.DT.docx", false},
		{"247-N-CP-2025TKNGK (2).docx", false},
		{"Mau02-DS(BHYT)", false},
		{"Phụ lục II- tt55.docx", false},
		{"", false},
	} {
		if got := garbledName(tt.name); got != tt.want {
			t.Errorf("garbledName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCutStump(t *testing.T) {
	for _, tt := range []struct {
		in, kept string
		cut      bool
	}{
		{"Bước 1. Lập hồ sơ 1. Người đề nghị lập hồ sơ theo quy định tại mục 4.3 (", "", true},
		{"Người đề nghị phải có giấy tờ tùy thân còn hiệu lực. Trường hợp ủy quyền thì nộp theo quy định tại",
			"Người đề nghị phải có giấy tờ tùy thân còn hiệu lực.", true},
		{"Cán bộ trả lời và nêu rõ lý do", "Cán bộ trả lời và nêu rõ lý do", false},
		{"Hàng hóa được vận chuyển đến nơi ở hiện tại", "Hàng hóa được vận chuyển đến nơi ở hiện tại", false},
		{"Nộp tại quầy (trừ ngày lễ)", "Nộp tại quầy (trừ ngày lễ)", false},
	} {
		kept, cut := cutStump(tt.in)
		if kept != tt.kept || cut != tt.cut {
			t.Errorf("cutStump(%q) = %q, %v; want %q, %v", tt.in, kept, cut, tt.kept, tt.cut)
		}
	}
}

func TestTextLines(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
		cut  bool
	}{
		{"Không có thông tin", nil, false},
		{"Nộp hồ sơ tại bộ phận\nmột cửa.", []string{"Nộp hồ sơ tại bộ phận một cửa."}, false},
		{"- Bước 1: gồm:+) Tờ khai; +) Ảnh.\n+) Bản sao", []string{"Bước 1: gồm: Tờ khai; Ảnh.", "Bản sao"}, false},
		{"5.\nNộp hồ sơ", []string{"5. Nộp hồ sơ"}, false},
		{"1. Nộp.\n3. Nhận phiếu.\n2. Nhận kết quả.", []string{"Nộp.", "Nhận phiếu.", "Nhận kết quả."}, false},
		{"1. Nộp.\n2. Nhận kết quả.\n1. Bước khác.", []string{"1. Nộp.", "2. Nhận kết quả.", "1. Bước khác."}, false},
		{"Điều kiện sau: (i) Có trụ sở; (ii) Có nhân viên.", []string{"Điều kiện sau:", "(i) Có trụ sở", "(ii) Có nhân viên."}, false},
		{"a) Nộp hồ sơ\nb) Nhận kết quả\niii) Khác", []string{"a) Nộp hồ sơ", "b) Nhận kết quả", "iii) Khác"}, false},
		{"Lập hồ sơ theo quy định tại mục 13.3 (", nil, true},
	} {
		got, cut := textLines(tt.in)
		if len(got) != len(tt.want) || cut != tt.cut {
			t.Errorf("textLines(%q) = %q, %v; want %q, %v", tt.in, got, cut, tt.want, tt.cut)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("textLines(%q)[%d] = %q, want %q", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestPlainCount(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"1 bản chính", "1 bản chính"},
		{"1 bản chính, 1 bản sao", "1 bản chính, 1 bản sao"},
		{"0 bản chính, 1 bản sao", "1 bản sao; không cần nộp bản chính"},
		{"0 bản chính", "Không cần nộp bản chính"},
		{"2 bản chính, 0 bản sao", "2 bản chính"},
		{"01 bản chính", "01 bản chính"},
		{"3 bản sao", "3 bản sao"},
	} {
		if got := plainCount(tt.in); got != tt.want {
			t.Errorf("plainCount(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := plainCounts("Bản sao giấy công nhận (nếu có).0 bản chính,1 bản sao) Bản sao khác"),
		"Bản sao giấy công nhận (nếu có).1 bản sao; không cần nộp bản chính) Bản sao khác"; got != want {
		t.Errorf("plainCounts = %q, want %q", got, want)
	}
}
