package catalog

// Documents and forms: the thanh_phan_ho_so table of a catalog record.

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/ingest/mdwrite"
	"golang.org/x/text/unicode/norm"
)

// ParseDocuments recovers the rows of a thanh_phan_ho_so cell, with the case heading of each
// group. It returns nil, nil when the record gives nothing and an error when the cell holds
// text but no document table.
func ParseDocuments(s string) ([]DocItem, error) {
	items, _, err := parseDocuments(norm.NFC.String(s))
	return items, err
}

// errNoDocTable says a thanh_phan_ho_so cell holds no table: the crawler sometimes stored other
// text there.
var errNoDocTable = errors.New("no document table")

// parseDocuments is ParseDocuments that also returns warnings. s is NFC.
func parseDocuments(s string) ([]DocItem, []string, error) {
	t := strings.TrimSpace(s)
	if missing(t) || strings.Trim(t, "- ") == "" {
		return nil, nil, nil
	}
	parts := strings.Split(t, docHeader)
	if len(parts) == 1 {
		return nil, nil, errNoDocTable
	}
	var items []DocItem
	var warns []string
	group := docHeading(parts[0])
	for i, seg := range parts[1:] {
		rows, tail := docRows(seg)
		for _, r := range rows {
			r.Group = group
			items = append(items, r)
		}
		if i+1 < len(parts)-1 {
			group = docHeading(tail) // text after the last row heads the next table
			continue
		}
		if tail = strings.TrimSpace(tail); strings.Trim(tail, "-* ") != "" {
			// A last row without a count.
			name, forms := splitForms(tail)
			d := DocItem{Group: group, Name: cleanDocName(name), Form: strings.Join(forms, "; ")}
			if d.Name == "" {
				d.Name = d.Form
			}
			if d.Name != "" {
				items = append(items, d)
				warns = append(warns, "last document row has no count")
			}
		}
	}
	return items, warns, nil
}

// docHeading cleans a case heading: "* Giấy tờ phải nộp:" → "Giấy tờ phải nộp"; "--" → "".
func docHeading(s string) string {
	h := mdwrite.Clean(s)
	h = strings.TrimLeft(h, "-*+• ")
	h = strings.TrimRight(h, ": ")
	return h
}

// docRows splits one table's rows. Each row ends with a count cell; the text after the last
// count (the next table's heading, if any) is returned as tail.
func docRows(seg string) (rows []DocItem, tail string) {
	prev := 0
	var raws []string // name+form text of each row, before cleaning
	for _, m := range findCounts(seg) {
		end := m[1]
		// A count cell is glued to what follows (the next row or the end). A count followed by a
		// space or punctuation is prose inside a name: "(01 bản chính hoặc ...)".
		if end < len(seg) {
			r, _ := utf8.DecodeRuneInString(seg[end:])
			if unicode.IsSpace(r) || strings.ContainsRune(".,;:)]", r) {
				continue
			}
			if countEnd(seg, end) > end {
				continue // "01 bản chính" + "1 bản chính": the second one is the cell
			}
		}
		count := normCount(seg[m[0]:m[1]])
		name := seg[prev:m[0]]
		prev = end
		if strings.Trim(name, " -;,.") == "" && len(rows) > 0 {
			// Nothing between two counts: the first was prose at the end of the name.
			raws[len(raws)-1] += strings.TrimSpace(rows[len(rows)-1].Count) + name
			rows[len(rows)-1].Count = count
			continue
		}
		rows = append(rows, DocItem{Count: count})
		raws = append(raws, name)
	}
	out := rows[:0]
	for i, r := range rows {
		name, forms := splitForms(raws[i])
		r.Name = cleanDocName(name)
		r.Form = strings.Join(forms, "; ")
		if r.Name == "" {
			r.Name = r.Form
		}
		if r.Name != "" { // a count with no name is nothing to list
			out = append(out, r)
		}
	}
	return out, seg[prev:]
}

// findCounts finds the copy-count cells in s: "1 bản chính", "1 bản chính,1 bản sao",
// "1 bản sao". One digit only: a longer number is the end of the name glued to the count
// ("...năm 2026" + "1 bản chính").
func findCounts(s string) [][2]int {
	var cells [][2]int
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], " bản ")
		if j < 0 {
			break
		}
		if at := i + j - 1; at >= 0 {
			if end := countEnd(s, at); end > at {
				cells = append(cells, [2]int{at, end})
				i = end
				continue
			}
		}
		i += j + 1
	}
	return cells
}

// countEnd returns the end of the count cell starting at s[at], or at if there is none.
func countEnd(s string, at int) int {
	if at >= len(s) || s[at] < '0' || s[at] > '9' {
		return at
	}
	rest := s[at+1:]
	switch {
	case strings.HasPrefix(rest, " bản chính"):
		end := at + 1 + len(" bản chính")
		k := end
		if k < len(s) && s[k] == ',' {
			k++
			if k < len(s) && s[k] == ' ' {
				k++
			}
			if k < len(s) && s[k] >= '0' && s[k] <= '9' && strings.HasPrefix(s[k+1:], " bản sao") {
				end = k + 1 + len(" bản sao")
			}
		}
		return end
	case strings.HasPrefix(rest, " bản sao"):
		return at + 1 + len(" bản sao")
	}
	return at
}

// normCount normalises a count cell: "1 bản chính,1 bản sao" → "1 bản chính, 1 bản sao".
func normCount(s string) string {
	return strings.Replace(strings.Replace(s, ",", ", ", 1), ",  ", ", ", 1)
}

func cleanDocName(s string) string {
	n := mdwrite.Clean(s)
	n = strings.TrimLeft(n, "-+*• ")
	n = strings.TrimRight(n, " ;,:")
	if strings.HasSuffix(n, ".") && !strings.HasSuffix(n, "..") {
		n = n[:len(n)-1]
	}
	return n
}
