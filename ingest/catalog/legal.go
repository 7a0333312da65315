package catalog

// Legal basis: the can_cu_phap_ly table of a catalog record.

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/thutuc/thutuc/ingest/mdwrite"
	"golang.org/x/text/unicode/norm"
)

// ParseLegalBasis recovers the rows of a can_cu_phap_ly cell: each is a title followed by the
// document number. It returns nil, nil when the record gives nothing.
func ParseLegalBasis(s string) ([]LegalRef, error) {
	refs, _, err := parseLegal(norm.NFC.String(s))
	return refs, err
}

// knownAgencyCodes are issuer codes that end document numbers. They tell where a number glued
// to the next title ends: "TT-BTCThông tư" is BTC + Thông, "TT-BCAngày" is BCA + ngày.
var knownAgencyCodes = [...]string{
	"BNNPTNT", "BLĐTBXH", "VKSNDTC", "BVHTTDL", "UBTVQH", "TANDTC", "BTTTT", "BNNMT", "BTNMT", "BGTVT", "BKHĐT",
	"BKHCN", "BGDĐT", "TTLT", "NHNN", "VPCP", "HĐND", "UBND", "HĐTP", "VBHN", "BTC", "BCA", "BTP", "BXD", "BCT",
	"BYT", "BNV", "BQP", "BNG", "BTTT", "BHXH", "VPQH", "KTNN", "CP", "QH", "NĐ", "TT", "QĐ", "NQ",
}

// parseLegal is ParseLegalBasis that also returns warnings. s is NFC.
func parseLegal(s string) ([]LegalRef, []string, error) {
	t := strings.TrimSpace(s)
	if missing(t) {
		return nil, nil, nil
	}
	if !strings.HasPrefix(t, legalHeader) {
		return nil, nil, errors.New("no legal-basis table")
	}
	t = t[len(legalHeader):]
	if i := strings.Index(t, "Cơ quan thực hiện"); i >= 0 {
		t = t[:i] // the next section's label, left in by the crawler
	}
	if missing(t) {
		return nil, nil, nil
	}
	var refs []LegalRef
	var warns []string
	rowStart := 0
	// The search resumes after each number found (not after the regex match), so that a
	// number glued to the end of another ("QH14" + "49/2019/QH14") is seen from its start.
	for pos := 0; pos < len(t); {
		loc := legalNumRe.FindStringIndex(t[pos:])
		if loc == nil {
			break
		}
		loc[0], loc[1] = loc[0]+pos, loc[1]+pos
		numAt := loc[0]
		if numAt > pos && t[numAt-1] >= '0' && t[numAt-1] <= '9' {
			// Digits glued in front: a year ending the title ("năm 2013" + "65/2014/NĐ-CP")
			// gives the number; anything else means this is inside a longer number.
			run := numAt
			for run > pos && t[run-1] >= '0' && t[run-1] <= '9' {
				run--
			}
			if !yearPrefix(t[run:]) {
				pos = loc[1]
				continue
			}
			numAt = run + 4
		}
		var end int
		if r, _ := utf8.DecodeLastRuneInString(t[:loc[1]]); !unicode.IsUpper(r) {
			end = loc[1] // a number without an issuer code ("24/2024")
		} else {
			codeAt := loc[0] + strings.LastIndexByte(t[loc[0]:loc[1]], '/') + 1
			if end = legalNumEnd(t, codeAt); strings.TrimSpace(t[codeAt:end]) == "" {
				pos = loc[1] // no issuer code after all ("12/Đây ...")
				continue
			}
		}
		pos = end
		if !legalRowEnds(t[numAt:end], t[end:]) {
			continue
		}
		cellStart := legalCellStart(t, rowStart, numAt)
		title := strings.TrimRight(mdwrite.Clean(t[rowStart:cellStart]), " ;,.:-")
		prefix := mdwrite.Clean(t[cellStart:numAt])
		if title == "" {
			title = prefix
		}
		refs = append(refs, LegalRef{Number: normalizeLegalNumber(strings.TrimRight(t[numAt:end], "/ ")), Title: title})
		rowStart = end
	}
	if rest := strings.TrimRight(mdwrite.Clean(t[rowStart:]), " ;,."); rest != "" {
		refs = append(refs, LegalRef{Title: rest})
		warns = append(warns, "legal-basis row without a recognisable number")
	}
	return dedupeLegal(refs), warns, nil
}

// yearPrefix reports whether digits start with a year (19xx, 20xx) followed by more digits.
func yearPrefix(s string) bool {
	return len(s) > 5 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) &&
		s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && s[4] >= '0' && s[4] <= '9'
}

// legalRowEnds reports whether a number followed by rest ends a row: the next title is
// glued to it, or only punctuation is left. A number followed by a space or punctuation and
// more text is a reference inside a title.
func legalRowEnds(num, rest string) bool {
	if strings.Trim(rest, " \t\n.;,") == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if r >= '0' && r <= '9' {
		// Another number glued on: the same one is this row's number cell after a title that
		// ends with it ("Thông tư 80/2021/TT-BTC" + "80/2021/TT-BTC"); a different one is the
		// next row's.
		if legalNumStartRe.MatchString(rest[:min(len(rest), 48)]) {
			return !strings.HasPrefix(rest, num)
		}
		return false
	}
	return unicode.IsLetter(r) || r == '(' || r == '[' || r == '“'
}

// legalNumEnd returns the end of the document number whose code starts at i (just after the
// year and its slash): uppercase segments joined by '-', cut where a glued title begins.
func legalNumEnd(t string, i int) int {
	if i < len(t) && t[i] == ' ' {
		i++
	}
	prevEnd := i
	for {
		segStart := i
		for i < len(t) {
			r, size := utf8.DecodeRuneInString(t[i:])
			if unicode.IsDigit(r) && strings.HasSuffix(t[segStart:i], "QH") {
				// QH + legislature number (QH14): two digits at most, the rest is the next cell.
				i += min(2, digitRun(t[i:]))
				break
			}
			if !(unicode.IsUpper(r) || unicode.IsDigit(r)) {
				break
			}
			i += size
		}
		seg := t[segStart:i]
		if i < len(t) {
			r, _ := utf8.DecodeRuneInString(t[i:])
			switch {
			case r == 'g' && strings.HasSuffix(seg, "TT"):
				i++ // QĐ-TTg
			case unicode.IsLower(r):
				if cut := codeCut(seg); cut > 0 || prevEnd == segStart {
					return segStart + cut
				}
				return prevEnd // "NĐ-CP-Quy định": the last segment is a word
			default:
				if !isAgencyCode(seg) {
					// An all-capitals title glued on: "TT-BXDLUẬT HÀNG KHÔNG".
					if cut := knownPrefix(seg); cut > 0 {
						return segStart + cut
					}
				}
			}
		}
		// Continue over "-XYZ", "/XYZ", "_XYZ" (also "NĐ -CP", "QĐ- TTg", but not " - ", a dash
		// before a title).
		j := i
		spaceBefore := j+1 < len(t) && t[j] == ' ' && t[j+1] == '-'
		if spaceBefore {
			j++
		}
		if j+1 < len(t) && (t[j] == '-' || t[j] == '/' || t[j] == '_') {
			k := j + 1
			if k+1 < len(t) && t[k] == ' ' && t[j] == '-' && !spaceBefore {
				k++
			}
			if r, _ := utf8.DecodeRuneInString(t[k:]); unicode.IsUpper(r) {
				prevEnd, i = i, k
				continue
			}
		}
		return i
	}
}

// codeCut returns how much of seg belongs to the number when a lower-case letter follows it:
// the whole segment when it is a known code, the longest known code it starts with, else all
// but its last capital (which starts the next word, as in "NĐ-CQuy định"); 0 when the segment
// is that one capital.
func codeCut(seg string) int {
	if isAgencyCode(seg) {
		return len(seg)
	}
	if cut := knownPrefix(seg); cut > 0 {
		return cut
	}
	_, size := utf8.DecodeLastRuneInString(seg)
	return len(seg) - size
}

// knownPrefix returns the length of the longest known code that is a proper prefix of seg
// (of at least two letters), or 0.
func knownPrefix(seg string) int {
	for cut := len(seg) - 1; cut > 1; cut-- {
		if utf8.RuneStart(seg[cut]) && isAgencyCode(seg[:cut]) {
			return cut
		}
	}
	return 0
}

func isAgencyCode(s string) bool {
	for _, c := range knownAgencyCodes {
		if s == c {
			return true
		}
	}
	// QH with a legislature number: QH13, QH14, QH15.
	return len(s) > 2 && strings.HasPrefix(s, "QH") && strings.Trim(s[2:], "0123456789") == ""
}

// legalCellStart moves the start of a number cell back over a document-type word glued to
// the previous title ("...tín dụngLuật số 32/2024/QH15": the cell is "Luật số 32/2024/QH15").
func legalCellStart(t string, rowStart, numAt int) int {
	before := t[rowStart:numAt]
	for _, p := range [...]string{"Luật số ", "Luật số", "Nghị định số ", "Nghị định ", "Thông tư số ", "Thông tư ", "Thông tư",
		"Quyết định số ", "Quyết định ", "Nghị quyết số ", "Nghị quyết ", "Luật ", "Luật", "TT"} {
		if !strings.HasSuffix(before, p) {
			continue
		}
		at := len(before) - len(p)
		if at == 0 {
			return rowStart + at
		}
		r, _ := utf8.DecodeLastRuneInString(before[:at])
		if !unicode.IsSpace(r) {
			return rowStart + at
		}
		return numAt
	}
	return numAt
}

// legalNumberFixer rewrites the stray spaces and separators of document numbers.
var legalNumberFixer = strings.NewReplacer(" -", "-", "- ", "-", "/ ", "/", "_", "-")

// normalizeLegalNumber removes stray spaces from a number: "39/2026/NĐ -CP" → "39/2026/NĐ-CP".
func normalizeLegalNumber(s string) string {
	return legalNumberFixer.Replace(strings.TrimSpace(s))
}

// dedupeLegal drops repeated numbers, keeping the longer title (the export repeats a row
// when its title is itself the number: "Nghị định 101/2024/NĐ-CPNghị định 101/2024/NĐ-CP").
func dedupeLegal(refs []LegalRef) []LegalRef {
	seen := map[string]int{}
	out := refs[:0]
	for _, r := range refs {
		if r.Number != "" {
			if i, ok := seen[r.Number]; ok {
				if len(r.Title) > len(out[i].Title) {
					out[i].Title = r.Title
				}
				continue
			}
			seen[r.Number] = len(out)
		}
		out = append(out, r)
	}
	return out
}
