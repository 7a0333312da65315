// Package plain knows the wording citizens should not be shown: phrases about how a source
// reads ("nguồn chỉ ghi con số này", "ô phí ghi …", "0 bản chính") rather than what a citizen
// needs to know. Importers write what such a phrase means instead; answers for citizens are
// checked against this list.
package plain

import (
	"strings"

	"github.com/thutuc/thutuc/vntext"
)

// mechanics are the phrases, folded (vntext.Key), that speak of the source's mechanics: its
// cells, fields, tables and what it "writes" rather than what holds.
var mechanics = []string{
	"nguon chi ghi",        // "nguồn chỉ ghi con số này"
	"nguon ghi",            // "nguồn ghi 'Không có thông tin'", "nguồn ghi 15 Ngày"
	"nguon khong ghi",      // "nguồn không ghi số lượng", "… đơn vị thời gian"
	"nguon khong mo ta",    // "có áp dụng; nguồn không mô tả thêm"
	"khong neu don vi",     // "không nêu đơn vị"
	"khong ghi don vi",     //
	"0 ban chinh",          // a count of no originals
	"0 ban sao",            //
	"o phi",                // "ô phí, lệ phí"
	"o le phi",             //
	"o thoi gian",          // "ô thời gian ghi …"
	"bang bi gop",          // "bảng bị gộp nên không rõ …"
	"bi gop o",             //
	"khong co thong tin",   // the source's "Không có thông tin"
	"mo ta kem theo",       // "mô tả kèm theo"
	"o muc yeu cau",        // "ở mục yêu cầu"
	"o muc co quan",        //
	"truong du lieu",       // "trường dữ liệu"
	"ban ghi nguon",        // "bản ghi nguồn"
	"nguon khong neu ma",   // "nguồn không nêu mã mẫu"
	"thong tin ve muc nay", // "Nguồn không nêu thông tin về mục này"
	"nguon cung ghi",       // "Nguồn cũng ghi mức này áp dụng đến …"
	"nguon van ghi",        // "nguồn vẫn ghi cấp này"
	"nguon con ghi",        // "Nguồn còn ghi nơi nhận theo địa bàn"
	"nguon co liet ke",     // "nguồn có liệt kê cách nộp này nhưng không mô tả …"
	"nguon chi liet ke",    // "nguồn chỉ liệt kê cách nộp trực tuyến"
	"nguon mo ta la",       // "nguồn mô tả là lệ phí …"
	"nguon nhac",           // "Nguồn nhắc Thông tư … trong phần lệ phí"
	"ghi trong nguon",      // "Cấp thực hiện ghi trong nguồn"
	"trinh tu trong nguon", // "Theo trình tự trong nguồn, …"
	"cac buoc cua nguon",   // "các bước của nguồn vẫn hướng dẫn …"
	"phan mo ta cua nguon", // "phần mô tả của nguồn còn cho phép …"
	"phan luu y cua nguon", // "Phần lưu ý của nguồn: …"
	"phan ho so cua nguon", // "Theo phần hồ sơ của nguồn, …"
	"ghi chu cua nguon",    // "ghi chú của nguồn ở dòng này"
	"doi tuong cua nguon",  // "theo mục đối tượng của nguồn"
	"thuc hien cua nguon",  // "theo mục cơ quan thực hiện của nguồn"
	"bang cach thuc",       // "Bảng cách thức của nguồn chỉ có dòng …"
	"o dong nay",           // a row of the source's table
	"o dong nop",           // "Ghi chú ở dòng nộp trực tiếp"
}

// Mechanics returns the source-mechanics phrases a text holds (folded), in the list's order.
func Mechanics(text string) []string {
	key := " " + vntext.Key(text) + " "
	var out []string
	for _, m := range mechanics {
		if strings.Contains(key, " "+m+" ") {
			out = append(out, m)
		}
	}
	return out
}
