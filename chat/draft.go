package chat

import (
	"context"
	"fmt"

	"github.com/thutuc/thutuc"
)

// draftAnswer is the extractive answer of a decision.
type draftAnswer struct {
	markdown  string
	citations []Citation
	// detail is the folded rest of a citizen's answer (Markdown; "" when nothing is folded),
	// detailLabel what its button says.
	detail, detailLabel string
	cases               []CaseDetail
	procedure           *ProcedureRef
	doc                 docInfo
	levels              string         // the line naming the procedure's other levels, "" when none
	others              []LevelVariant // the documents it names
}

// draft composes the extractive answer (or the fixed text) of a decision.
func (s *Service) draft(ctx context.Context, t *turn, d decision) (*draftAnswer, error) {
	switch d.status {
	case StatusDeclined:
		return &draftAnswer{markdown: declineText(d.reason)}, nil
	case StatusNoAnswer:
		return &draftAnswer{markdown: noAnswerText(d.noTopic, d.topic)}, nil
	case StatusClarify:
		return &draftAnswer{markdown: clarifyText(d.facet)}, nil
	case StatusGreeting:
		return &draftAnswer{markdown: greetingText(t.req.Message)}, nil
	}
	if len(d.parts) > 0 {
		return s.draftParts(ctx, t, d)
	}
	views, err := s.cfg.DB.DocumentChunks(ctx, d.docID, nil)
	if err != nil {
		return nil, fmt.Errorf("load %s to answer: %w", d.docID, err)
	}
	if len(views) == 0 {
		return nil, thutuc.Errorf(thutuc.ENOTFOUND, "Không tìm thấy thủ tục %q.", d.docID)
	}
	ps := make([]passage, len(views))
	for i, v := range views {
		ps[i] = passageFromView(v)
	}
	v := views[0]
	doc := docInfo{id: v.DocumentID, code: v.Code, title: v.Title, kind: v.Kind, sourceURL: v.SourceURL, asOf: v.AsOf}
	out := &draftAnswer{doc: doc, procedure: &ProcedureRef{ID: doc.id, Code: doc.code, Title: doc.title}}
	if doc.kind == thutuc.KindRegulation {
		var matched []passage
		if d.result != nil {
			for _, sec := range d.result.Sections {
				matched = append(matched, passageFromSearch(*d.result, sec))
			}
		}
		out.setComposed(composeRegulation(doc, ps, matched, d.intents, t.conv.Audience, s.now()))
		return out, nil
	}
	var articles []passage
	if d.law || hasIntent(d.intents, IntentLegalBasis) || t.conv.Audience == AudienceOfficer {
		if articles, err = s.legalArticles(ctx, d.question, doc, ps, t.conv.Locality, t.conv.Audience); err != nil {
			return nil, err
		}
	}
	out.others = otherLevels(d.variants, v.Level)
	out.levels = variantsLine(out.others)
	out.setComposed(composeProcedure(doc, ps, articles, d.intents, t.conv.Audience, d.focus, out.levels, s.now()))
	return out, nil
}

func (a *draftAnswer) setComposed(c composed) {
	a.markdown, a.citations, a.detail, a.detailLabel, a.cases = c.markdown, c.citations, c.detail, c.detailLabel, c.cases
}
