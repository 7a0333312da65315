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
