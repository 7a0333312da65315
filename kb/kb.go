// Package kb is the procedure knowledge base: how people name and describe the procedures of
// the national catalog, keyed by official code. For each procedure it holds the everyday names
// people use ("làm lại cà vẹt xe bị mất"), the action it performs (cấp mới, cấp lại, gia hạn…),
// the circumstances that choose it over its siblings (bị mất, hết hạn, lần đầu…), who applies
// and the family of sibling records it belongs to. It also maps the topics the catalog does not
// cover (health, education, labour…) to where citizens should ask.
//
// The base is written in our own words (corpus/kb); facts such as fees or documents stay in the
// records. Retrieval uses the names as aliases, the trained embedder learns from them, and a
// record missing from the base gets its action and family from its title by rule.
package kb

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Entry is what the base knows about one procedure.
type Entry struct {
	Code          string   `json:"code"`
	Actions       []string `json:"action"`
	Family        string   `json:"family"`
	Names         []string `json:"names"`
	Circumstances []string `json:"circumstances,omitempty"`
	Applicants    []string `json:"applicants,omitempty"`
	// Common is true for procedures that individuals, households, household businesses or small
	// firms do themselves.
	Common bool `json:"common"`
}

// Base is the loaded knowledge base.
type Base struct {
	entries map[string]*Entry
	family  map[string][]string // family → codes, sorted
	Topics  []Topic
}

// Load reads every procedures/*.jsonl file and topics.jsonl of fsys (the corpus/kb folder).
// A malformed line, an unknown action or applicant kind, or a code given twice is an error
// naming the file and line.
func Load(fsys fs.FS) (*Base, error) {
	b := &Base{entries: map[string]*Entry{}, family: map[string][]string{}}
	files, err := fs.Glob(fsys, "procedures/*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("load knowledge base: %w", err)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("load knowledge base: %w", err)
		}
		if err := b.addEntries(path.Base(f), data); err != nil {
			return nil, err
		}
	}
	if data, err := fs.ReadFile(fsys, "topics.jsonl"); err == nil {
		if b.Topics, err = parseTopics(data); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load knowledge base: %w", err)
	}
	for f := range b.family {
		sort.Strings(b.family[f])
	}
	return b, nil
}

func (b *Base) addEntries(file string, data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		s := bytes.TrimSpace(sc.Bytes())
		if len(s) == 0 {
			continue
		}
		var e Entry
		dec := json.NewDecoder(bytes.NewReader(s))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return fmt.Errorf("knowledge base %s line %d: %w", file, line, err)
		}
		if err := e.normalize(); err != nil {
			return fmt.Errorf("knowledge base %s line %d: %w", file, line, err)
		}
		if _, dup := b.entries[e.Code]; dup {
			return fmt.Errorf("knowledge base %s line %d: code %s is given twice", file, line, e.Code)
		}
		b.entries[e.Code] = &e
		b.family[e.Family] = append(b.family[e.Family], e.Code)
	}
	return sc.Err()
}

// normalize checks an entry and puts its text in NFC, trimmed, without duplicates.
func (e *Entry) normalize() error {
	e.Code = strings.TrimSpace(e.Code)
	if e.Code == "" {
		return fmt.Errorf("no code")
	}
	clean := func(list []string) []string {
		var out []string
		for _, s := range list {
			s = strings.Join(strings.Fields(norm.NFC.String(s)), " ")
			if s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	e.Actions, e.Names, e.Circumstances, e.Applicants = clean(e.Actions), clean(e.Names), clean(e.Circumstances), clean(e.Applicants)
	e.Family = strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(e.Family)), " "))
	if len(e.Actions) == 0 {
		return fmt.Errorf("%s: no action", e.Code)
	}
	for _, a := range e.Actions {
		if !slices.Contains(Actions, a) {
			return fmt.Errorf("%s: action %q is not one of %s", e.Code, a, strings.Join(Actions, ", "))
		}
	}
	for _, a := range e.Applicants {
		if !slices.Contains(Applicants, a) {
			return fmt.Errorf("%s: applicant %q is not one of %s", e.Code, a, strings.Join(Applicants, ", "))
		}
	}
	if e.Family == "" {
		return fmt.Errorf("%s: no family", e.Code)
	}
	if len(e.Names) == 0 {
		return fmt.Errorf("%s: no names", e.Code)
	}
	return nil
}

// Entry returns the entry of code.
func (b *Base) Entry(code string) (*Entry, bool) {
	if b == nil {
		return nil, false
	}
	e, ok := b.entries[strings.TrimSpace(code)]
	return e, ok
}

// Len is the number of procedures the base knows.
func (b *Base) Len() int {
	if b == nil {
		return 0
	}
	return len(b.entries)
}

// Entries returns every entry, by code.
func (b *Base) Entries() []*Entry {
	if b == nil {
		return nil
	}
	out := make([]*Entry, 0, len(b.entries))
	for _, e := range b.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Siblings returns the codes of code's family, code excluded.
func (b *Base) Siblings(code string) []string {
	e, ok := b.Entry(code)
	if !ok {
		return nil
	}
	var out []string
	for _, c := range b.family[e.Family] {
		if c != e.Code {
			out = append(out, c)
		}
	}
	return out
}
