package corpus_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/eval"
	"github.com/thutuc/thutuc/vntext"
)

// allCodes returns every record of the catalog by code (the test skips without the catalog).
func allCodes(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(catalogPath)
	if err != nil {
		t.Skipf("catalog not available: %v", err)
	}
	f.Close()
	recs := loadCatalog(t, nil)
	out := make(map[string]string, len(recs))
	for c, r := range recs {
		out[c] = r.Title
	}
	return out
}

func TestKnowledgeBaseCoversCatalog(t *testing.T) {
	base, err := corpus.KB()
	if err != nil {
		t.Fatal(err)
	}
	titles := allCodes(t)
	for code, title := range titles {
		e, ok := base.Entry(code)
		if !ok {
			t.Errorf("%s (%s) has no knowledge-base entry", code, title)
			continue
		}
		min := 3
		if e.Common {
			min = 5
		}
		if len(e.Names) < min {
			t.Errorf("%s: %d everyday names, want at least %d", code, len(e.Names), min)
		}
		for _, n := range e.Names {
			if vntext.Key(n) == vntext.Key(title) {
				t.Errorf("%s: a name repeats the title: %q", code, n)
			}
		}
	}
	for _, e := range base.Entries() {
		if _, ok := titles[e.Code]; !ok {
			t.Errorf("knowledge base: %s is not a catalog code", e.Code)
		}
	}
	if len(base.Topics) < 5 {
		t.Errorf("%d uncovered topics, want the sectors the catalog does not cover", len(base.Topics))
	}
}

// readSplit reads one split of the citizen questions.
func readSplit(t *testing.T, name string) []eval.Question {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("eval", "citizen", name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	qs, err := eval.ReadQuestions(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return qs
}

func TestCitizenQuestionSplits(t *testing.T) {
	titles := allCodes(t)
	base, err := corpus.KB()
	if err != nil {
		t.Fatal(err)
	}
	topics := map[string]bool{"ngoai-pham-vi": true}
	for _, tp := range base.Topics {
		topics[tp.Key] = true
	}
	ministry := map[string]string{}
	for code, rec := range loadCatalog(t, nil) {
		ministry[code] = rec.Ministry
	}
	seen := map[string]string{} // normalised question → split
	perCode := map[string]int{}
	// dev2 was written later, by other writers, to compare variants on wording unlike the
	// training questions'; it keeps its writers' share of questions without diacritics.
	for _, split := range []string{"train", "dev", "test", "dev2"} {
		qs := readSplit(t, split)
		if len(qs) == 0 {
			t.Fatalf("%s is empty", split)
		}
		ministries := map[string]bool{}
		plain, none := 0, 0
		for _, q := range qs {
			k := vntext.Key(q.Question)
			if other, dup := seen[k]; dup {
				t.Errorf("%s line %d repeats a question of %s: %q", split, q.Line, other, q.Question)
			}
			seen[k] = split
			if !vntext.HasDiacritics(q.Question) {
				plain++
			}
			if len(q.Procedure) == 0 {
				none++
				if !topics[q.Topic] {
					t.Errorf("%s line %d: no procedure and topic %q is not a knowledge-base topic", split, q.Line, q.Topic)
				}
				continue
			}
			for _, c := range q.Procedure {
				if _, ok := titles[c]; !ok {
					t.Errorf("%s line %d: %s is not a catalog code", split, q.Line, c)
				}
			}
			ministries[ministry[q.Procedure[0]]] = true
			if split == "train" || split == "dev" {
				perCode[q.Procedure[0]]++
			}
		}
		if share := float64(plain) / float64(len(qs)); split != "dev2" && (share < 0.25 || share > 0.45) {
			t.Errorf("%s: %.0f%% of questions without diacritics, want about 35%%", split, 100*share)
		}
		if none == 0 {
			t.Errorf("%s: no question about an uncovered topic", split)
		}
		if split == "test" {
			for _, m := range ministry {
				if !ministries[m] {
					t.Errorf("test split: no question about the ministry %s", m)
				}
			}
		}
	}
	for code := range titles {
		e, _ := base.Entry(code)
		want := 2
		if e != nil && e.Common {
			want = 5
		}
		if perCode[code] < want {
			t.Errorf("%s: %d questions in train and dev, want at least %d", code, perCode[code], want)
		}
	}
}
