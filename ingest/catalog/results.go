package catalog

// Results: the ket_qua_xu_ly field of a catalog record.

import (
	"strings"

	"github.com/thutuc/thutuc/ingest/mdwrite"
)

// parseResults reads ket_qua_xu_ly: "<name>Mã: KQ...<name>Mã: KQ...Từ khóa..." followed by
// portal UI text, which is dropped.
func parseResults(s string) []Result {
	t := strings.TrimSpace(s)
	if i := strings.Index(t, "Từ khóa"); i >= 0 {
		t = t[:i]
	}
	if missing(t) {
		return nil
	}
	var res []Result
	prev := 0
	for _, m := range resultCodeRe.FindAllStringSubmatchIndex(t, -1) {
		name := strings.TrimRight(mdwrite.Clean(t[prev:m[0]]), " ;,")
		code := strings.TrimRight(t[m[2]:m[3]], ".-")
		if name != "" {
			res = append(res, Result{Name: name, Code: code})
		} else if len(res) > 0 && res[len(res)-1].Code == "" {
			res[len(res)-1].Code = code
		}
		prev = m[1]
	}
	if rest := mdwrite.Clean(t[prev:]); rest != "" && !missing(rest) {
		res = append(res, Result{Name: rest})
	}
	return res
}
