package catalog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/thutuc/thutuc/ingest/mdwrite"
	"github.com/thutuc/thutuc/kb"
)

// Stats counts what Read recovered.
type Stats struct {
	Records       int // lines read (excluding blank lines)
	WithChannels  int // records with at least one channel row
	WithFees      int // ... with a fee stated (amount or free) for at least one channel
	WithDeadlines int // ... with a numeric time for at least one channel
	WithDocuments int // ... with at least one document row
	WithLegal     int // ... with at least one legal-basis row
	Failed        int // records that could not be decoded or converted
}

// Read streams the JSONL catalog; for each record it calls fn(name, sheet) where name is
// "<file>#<code>". A record that cannot be decoded or converted is counted in Failed and
// reported through onProblem (which may be nil), never fatal. An error from fn stops the read
// and is returned, as is a read error.
func Read(r io.Reader, file string, asOf string, fn func(name string, sheet []byte) error, onProblem func(name string, err error)) (Stats, error) {
	return ReadWith(r, file, asOf, nil, fn, onProblem)
}

// ReadWith is Read with a knowledge base: each sheet carries the everyday names of its
// procedure as aliases and its action, family, circumstances and applicants as metadata.
func ReadWith(r io.Reader, file string, asOf string, base *kb.Base, fn func(name string, sheet []byte) error, onProblem func(name string, err error)) (Stats, error) {
	var st Stats
	if _, err := time.Parse("2006-01-02", asOf); err != nil {
		return st, fmt.Errorf("read catalog %s: as_of %q is not a YYYY-MM-DD date", file, asOf)
	}
	report := func(name string, err error) {
		st.Failed++
		if onProblem != nil {
			onProblem(name, err)
		}
	}
	seen := map[string]bool{}
	br := bufio.NewReaderSize(r, 1<<16)
	for lineNo := 1; ; lineNo++ {
		line, readErr := br.ReadBytes('\n')
		if readErr != nil && readErr != io.EOF {
			return st, fmt.Errorf("read catalog %s line %d: %w", file, lineNo, readErr)
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			st.Records++
			if err := readOne(line, file, lineNo, asOf, base, seen, &st, fn, report); err != nil {
				return st, err
			}
		}
		if readErr == io.EOF {
			return st, nil
		}
	}
}

// readOne converts one JSONL line; it returns only errors from fn.
func readOne(line []byte, file string, lineNo int, asOf string, base *kb.Base, seen map[string]bool, st *Stats,
	fn func(string, []byte) error, report func(string, error)) error {
	var rec Record
	if err := json.Unmarshal(line, &rec); err != nil {
		report(fmt.Sprintf("%s:%d", file, lineNo), fmt.Errorf("decode catalog record: %w", err))
		return nil
	}
	code := mdwrite.OneLine(rec.Code)
	name := file + "#" + code
	switch {
	case code == "":
		report(fmt.Sprintf("%s:%d", file, lineNo), errors.New("convert catalog record: no ma_thu_tuc"))
		return nil
	case mdwrite.OneLine(rec.Title) == "":
		report(name, fmt.Errorf("convert catalog record %s: no ten_thu_tuc", code))
		return nil
	case !idRe.MatchString(code):
		report(name, fmt.Errorf("convert catalog record %s: the code cannot be a sheet id", code))
		return nil
	case !strings.HasPrefix(mdwrite.OneLine(rec.URL), "https://") && !strings.HasPrefix(mdwrite.OneLine(rec.URL), "http://"):
		report(name, fmt.Errorf("convert catalog record %s: detail_url %q is not an http(s) address", code, rec.URL))
		return nil
	case seen[code]:
		report(name, fmt.Errorf("convert catalog record %s: duplicate code", code))
		return nil
	}
	seen[code] = true
	p := Parse(rec)
	p.Knowledge, _ = base.Entry(code)
	if len(p.Channels) > 0 {
		st.WithChannels++
	}
	fees, deadlines := false, false
	for _, ch := range p.Channels {
		fees = fees || ch.Fee.Kind == FeeAmount || ch.Fee.Kind == FeeFree
		deadlines = deadlines || ch.Time != nil
	}
	if fees {
		st.WithFees++
	}
	if deadlines {
		st.WithDeadlines++
	}
	if len(p.Documents) > 0 {
		st.WithDocuments++
	}
	if len(p.Legal) > 0 {
		st.WithLegal++
	}
	if err := fn(name, p.Markdown(asOf)); err != nil {
		return fmt.Errorf("store %s: %w", name, err)
	}
	return nil
}
