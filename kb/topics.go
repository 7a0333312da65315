package kb

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/thutuc/thutuc/vntext"
	"golang.org/x/text/unicode/norm"
)

// Topic is a sector whose procedures the catalog does not hold, with the everyday words that
// name it and where citizens should ask instead.
type Topic struct {
	Key    string   `json:"key"`    // slug, e.g. y-te
	Sector string   `json:"sector"` // e.g. "y tế"
	Words  []string `json:"words"`  // everyday words of the sector
	Ask    string   `json:"ask"`    // where to ask, in plain words
}

func parseTopics(data []byte) ([]Topic, error) {
	var out []Topic
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	seen := map[string]bool{}
	for line := 1; sc.Scan(); line++ {
		s := bytes.TrimSpace(sc.Bytes())
		if len(s) == 0 {
			continue
		}
		var t Topic
		dec := json.NewDecoder(bytes.NewReader(s))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("knowledge base topics.jsonl line %d: %w", line, err)
		}
		if t.Key == "" || t.Sector == "" || len(t.Words) == 0 || t.Ask == "" {
			return nil, fmt.Errorf("knowledge base topics.jsonl line %d: key, sector, words and ask are required", line)
		}
		if seen[t.Key] {
			return nil, fmt.Errorf("knowledge base topics.jsonl line %d: topic %s is given twice", line, t.Key)
		}
		seen[t.Key] = true
		for i, w := range t.Words {
			t.Words[i] = norm.NFC.String(strings.TrimSpace(w))
		}
		out = append(out, t)
	}
	return out, sc.Err()
}

// TopicOf returns the uncovered topic whose words a text names most, and how many of its words
// it names; ok is false when it names none. Words match on folded whole words, so "benh vien"
// finds "bệnh viện".
func (b *Base) TopicOf(text string) (t Topic, n int, ok bool) {
	t, words := b.TopicWordsOf(text)
	return t, len(words), len(words) > 0
}

// TopicWordsOf returns the uncovered sector whose everyday words the text names most, and
// those of its words the text names.
func (b *Base) TopicWordsOf(text string) (t Topic, words []string) {
	if b == nil {
		return t, nil
	}
	key := " " + vntext.Key(text) + " "
	for _, topic := range b.Topics {
		var found []string
		for _, w := range topic.Words {
			if k := vntext.Key(w); k != "" && strings.Contains(key, " "+k+" ") {
				found = append(found, k)
			}
		}
		if len(found) > len(words) {
			t, words = topic, found
		}
	}
	return t, words
}
