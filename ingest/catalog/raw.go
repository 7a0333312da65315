package catalog

// Sections of raw_text, the whole page as text, used to repair fields the crawler cut wrong.

import (
	"strings"
)

// rawParts holds sections of raw_text, found by their labels and by the table header that must
// follow them. The crawler cut its fields at the first occurrence of each label, which goes
// wrong when a label also occurs in an earlier section ("... tại mục 3.3 (Thành phần hồ sơ)",
// a fee note that says "Căn cứ pháp lý: ..."). Only used to repair fields that fail validation.
type rawParts struct {
	channels, documents, legal, result             string
	hasChannels, hasDocuments, hasLegal, hasResult bool
}

func splitRaw(raw string) rawParts {
	const (
		labChannels = "Cách Thức Thực Hiện"
		labDocs     = "Thành phần hồ sơ"
		labLegal    = "Căn cứ pháp lý"
		labAgency   = "Cơ quan thực hiện"
		labResult   = "Kết quả xử lý"
	)
	var r rawParts
	legalAt := -1
	for off := 0; ; {
		i := strings.Index(raw[off:], labLegal)
		if i < 0 {
			break
		}
		at := off + i
		rest := raw[at+len(labLegal):]
		if strings.HasPrefix(rest, legalHeader) || strings.HasPrefix(rest, noInfo) || strings.HasPrefix(rest, labAgency) {
			legalAt = at
			break
		}
		off = at + len(labLegal)
	}
	if legalAt >= 0 {
		body := raw[legalAt+len(labLegal):]
		if j := strings.Index(body, labAgency); j >= 0 {
			body = body[:j]
		}
		r.legal, r.hasLegal = body, true
	}
	docsAt := -1
	if h := strings.Index(raw, docHeader); h >= 0 {
		docsAt = strings.LastIndex(raw[:h], labDocs)
	} else if legalAt >= 0 {
		docsAt = strings.LastIndex(raw[:legalAt], labDocs)
	}
	if docsAt >= 0 {
		end := len(raw)
		if legalAt > docsAt {
			end = legalAt
		} else if j := strings.Index(raw[docsAt:], labLegal); j >= 0 {
			end = docsAt + j
		}
		r.documents, r.hasDocuments = raw[docsAt+len(labDocs):end], true
	}
	if at := strings.Index(raw, labChannels+channelHeader); at >= 0 {
		end := len(raw)
		switch {
		case docsAt > at:
			end = docsAt
		case legalAt > at:
			end = legalAt
		}
		r.channels, r.hasChannels = raw[at+len(labChannels):end], true
	}
	if at := strings.LastIndex(raw, labResult); at >= 0 {
		r.result, r.hasResult = raw[at+len(labResult):], true
	}
	return r
}
