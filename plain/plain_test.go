package plain_test

import (
	"slices"
	"testing"

	"github.com/thutuc/thutuc/plain"
)

func TestMechanics(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Thời hạn: 1 — nguồn chỉ ghi con số này, không nêu đơn vị", []string{"nguon chi ghi", "khong neu don vi"}},
		{"Giấy khai sinh: 0 bản chính, 1 bản sao", []string{"0 ban chinh"}},
		{"ô phí của nguồn ghi 'Miễn phí', nhưng ghi chú nêu 135.000", []string{"nguon ghi", "o phi"}},
		{"Trực tuyến: có áp dụng; nguồn không mô tả thêm", []string{"nguon khong mo ta"}},
		{"Nguồn ghi 'Không có thông tin'", []string{"nguon ghi", "khong co thong tin"}},
		{"bảng bị gộp nên không rõ phí thuộc cách nộp nào", []string{"bang bi gop"}},
		{"Nguồn không nêu thông tin về mục này.", []string{"thong tin ve muc nay"}},
		{"Nguồn cũng ghi mức này áp dụng đến hết 31/12/2023", []string{"nguon cung ghi"}},
		{"Bảo hiểm xã hội cấp huyện (nguồn vẫn ghi cấp này)", []string{"nguon van ghi"}},
		{"nguồn có liệt kê cách nộp này nhưng không mô tả nơi nộp", []string{"nguon co liet ke"}},
		{"Theo trình tự trong nguồn, hai bên phải đủ điều kiện", []string{"trinh tu trong nguon"}},
		{"Lưu ý: các bước của nguồn vẫn hướng dẫn nộp lệ phí", []string{"cac buoc cua nguon"}},
		{"Công dân Việt Nam (theo mục đối tượng của nguồn)", []string{"doi tuong cua nguon"}},
		{"Bảng cách thức của nguồn chỉ có dòng \"Trực tuyến\"", []string{"bang cach thuc"}},
		{"10.000 đồng; ghi chú của nguồn ở dòng này là đăng ký theo danh sách", []string{"ghi chu cua nguon", "o dong nay"}},
		{"Ghi chú ở dòng nộp trực tiếp: người thuộc diện miễn", []string{"o dong nop"}},
		{"Cấp thực hiện ghi trong nguồn: Cấp xã", []string{"ghi trong nguon"}},
		// What a citizen needs to know passes.
		{"Xác nhận thêm nguồn gốc đất", nil},
		{"Đánh giá nhà xưởng, thiết bị, nguồn lực", nil},
		{"Không cần nộp bản chính", nil},
		{"Lệ phí: 50.000 đồng; nộp trực tuyến được giảm 50%", nil},
		{"Thời hạn: 1 (không rõ đơn vị — hãy hỏi bộ phận một cửa)", nil},
		{"Nộp tại Công an cấp xã nơi cư trú; 10 bản chính", nil},
		{"Phòng họp số 0 bản đồ", nil}, // "0 bản" alone is not a count of originals
		// Accented text is matched accented, and no phrase runs across punctuation.
		{"Nộp hồ sơ bằng cách thức trực tiếp hoặc qua dịch vụ bưu chính", nil},
		{"Phiếu do nước ngoài cấp không có thông tin về việc cấm đảm nhiệm chức vụ", nil}, // the record's own words
		{"- Không có thông tin", []string{"khong co thong tin"}},
		{"_Nguồn: Ghi nhận tổ chức dịch vụ đại diện (mã 1.012063)._", nil},
		{"Bảng cách thức của nguồn chỉ có dòng trực tiếp", []string{"bang cach thuc"}},
		{"bang cach thuc cua nguon chi co dong truc tiep", []string{"bang cach thuc"}}, // typed without diacritics
	} {
		if got := plain.Mechanics(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Mechanics(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
