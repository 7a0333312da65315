package catalog

import (
	"errors"
	"fmt"
	"strings"

	"github.com/thutuc/thutuc/ingest/mdwrite"
	"golang.org/x/text/unicode/norm"
)

// nfc returns the record with every field but RawText in Unicode NFC: some records are
// decomposed (NFD), and every match below is on composed text. RawText, large and rarely
// needed, is normalised when it is used.
func (rec Record) nfc() Record {
	for _, f := range [...]*string{&rec.Code, &rec.Title, &rec.URL, &rec.Decision, &rec.Level, &rec.Type, &rec.Field,
		&rec.Applicants, &rec.CompetentAgency, &rec.ReceivingAddress, &rec.AuthorizedAgency, &rec.CoordinatingAgency,
		&rec.RelatedProcedures, &rec.Steps, &rec.Channels, &rec.Documents, &rec.LegalBasis, &rec.Agency,
		&rec.Conditions, &rec.Result, &rec.FormalityID, &rec.Ministry} {
		*f = norm.NFC.String(*f)
	}
	return rec
}

// Parse recovers the tables of a catalog record. It never fails: what cannot be recovered is
// listed in Problems.
func Parse(rec Record) Procedure {
	rec = rec.nfc()
	p := Procedure{Record: rec}
	var raw *rawParts
	rawSecs := func() *rawParts {
		if raw == nil {
			r := splitRaw(norm.NFC.String(rec.RawText))
			raw = &r
		}
		return raw
	}
	problem := func(format string, args ...any) { p.Problems = append(p.Problems, fmt.Sprintf(format, args...)) }

	for _, l := range strings.Split(rec.Level, ",") {
		if l = mdwrite.Clean(l); l != "" {
			p.Levels = append(p.Levels, l)
		}
	}

	// Legal basis first: a broken legal field means the crawler cut the fields at the wrong
	// label, and the channel field is then truncated too.
	legalField := rec.LegalBasis
	crawlerSplitWrong := false
	if t := strings.TrimSpace(legalField); !missing(t) && !strings.HasPrefix(t, legalHeader) {
		crawlerSplitWrong = true
		if r := rawSecs(); r.hasLegal {
			legalField = legalHeader + strings.TrimPrefix(r.legal, legalHeader)
			problem("can_cu_phap_ly held other text; recovered from raw_text")
		}
	}
	refs, warns, err := parseLegal(legalField)
	if err != nil {
		problem("parse legal basis: %v", err)
	}
	p.Legal = refs
	for _, w := range warns {
		problem("legal basis: %s", w)
	}

	chs, warns, err := parseChannels(rec.Channels)
	if r := rawSecs(); r.hasChannels && (crawlerSplitWrong || err != nil) {
		if rchs, rwarns, rerr := parseChannels(r.channels); rerr == nil && len(rchs) > len(chs) {
			chs, warns, err = rchs, rwarns, nil
			problem("cach_thuc_thuc_hien was truncated; recovered from raw_text")
		}
	}
	if err != nil {
		problem("parse channels: %v", err)
	}
	p.Channels = chs
	for _, w := range warns {
		problem("channels: %s", w)
	}

	docs, warns, err := parseDocuments(rec.Documents)
	if errors.Is(err, errNoDocTable) {
		if r := rawSecs(); r.hasDocuments {
			if rdocs, rwarns, rerr := parseDocuments(r.documents); rerr == nil {
				docs, warns, err = rdocs, rwarns, nil
				problem("thanh_phan_ho_so held other text; recovered from raw_text")
			}
		}
	}
	if err != nil {
		problem("parse documents: %v", err)
	}
	p.Documents = docs
	for _, w := range warns {
		problem("documents: %s", w)
	}

	resultField := rec.Result
	if !strings.Contains(resultField, "Mã:") {
		if r := rawSecs(); r.hasResult && strings.Contains(r.result, "Mã:") {
			resultField = r.result
			problem("ket_qua_xu_ly held other text; recovered from raw_text")
		}
	}
	p.Results = parseResults(resultField)
	return p
}
