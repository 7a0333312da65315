package corpus_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/thutuc/thutuc"
	"github.com/thutuc/thutuc/ingest"
	"github.com/thutuc/thutuc/ingest/catalog"
	"github.com/thutuc/thutuc/vntext"
)

// catalogPath is the national catalog beside the repository (shared/data/); tests that need
// it skip when it is absent.
const catalogPath = "../../shared/data/dvc-procedures.jsonl"

// loadCatalog returns the catalog's records with the given codes (all when codes is nil).
func loadCatalog(t *testing.T, codes map[string]bool) map[string]catalog.Record {
	f, err := os.Open(catalogPath)
	if err != nil {
		t.Skipf("catalog not available: %v", err)
	}
	defer f.Close()
	out := map[string]catalog.Record{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4<<20), 16<<20)
	for sc.Scan() {
		var rec catalog.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		if codes == nil || codes[rec.Code] {
			out[rec.Code] = rec
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var channelItem = regexp.MustCompile(`(?s)^\*\*([^*]+)\*\*\s*:\s*(.*)$`)

// channelItems returns, for one canonical section, the text of its per-channel list items by
// channel name (several items may name one channel: one per case).
func channelItems(sh *ingest.Sheet, section string) map[string][]string {
	out := map[string][]string{}
	for _, s := range sh.Sections {
		if s.Canonical != section {
			continue
		}
		for _, b := range s.Blocks {
			for _, it := range b.Items {
				if m := channelItem.FindStringSubmatch(it); m != nil {
					name := vntext.Key(m[1])
					out[name] = append(out[name], vntext.Normalize(m[2]))
				}
			}
		}
	}
	return out
}

// vnNumber writes an amount the Vietnamese way: 200000 → 200.000.
func vnNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func durationNumber(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// TestSheetsMatchCatalog checks every procedure sheet against its catalog record: each channel
// of the record has its items in the channels, deadline and fee sections; the deadline item
// holds the record's number and unit, and the fee item the record's amount or "miễn phí".
func TestSheetsMatchCatalog(t *testing.T) {
	files, err := filepath.Glob("procedures/*.md")
	if err != nil || len(files) != 33 {
		t.Fatalf("want 33 procedure sheets, found %d (%v)", len(files), err)
	}
	sheets := map[string]*ingest.Sheet{}
	codes := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sh, err := ingest.ParseSheet(f, data)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Meta.Kind != thutuc.KindProcedure {
			t.Errorf("%s: kind %q", f, sh.Meta.Kind)
		}
		if filepath.Base(f) != sh.Meta.ID+".md" {
			t.Errorf("%s: id %q does not match the file name", f, sh.Meta.ID)
		}
		sheets[f] = sh
		codes[sh.Meta.Code] = true
	}
	records := loadCatalog(t, codes)
	for f, sh := range sheets {
		rec, ok := records[sh.Meta.Code]
		if !ok {
			t.Errorf("%s: code %s is not in the catalog", f, sh.Meta.Code)
			continue
		}
		if sh.Meta.SourceURL != rec.URL {
			t.Errorf("%s: source_url %s, the record's is %s", f, sh.Meta.SourceURL, rec.URL)
		}
		chans, err := catalog.ParseChannels(rec.Channels)
		if err != nil {
			t.Errorf("%s: parse the record's channels: %v", f, err)
			continue
		}
		ways, fees, deadlines := channelItems(sh, thutuc.SectionChannels), channelItems(sh, thutuc.SectionFees), channelItems(sh, thutuc.SectionDeadline)
		for _, ch := range chans {
			name := vntext.Key(ch.Name)
			where := fmt.Sprintf("%s (%s) channel %q", f, sh.Meta.Code, ch.Name)
			if len(ways[name]) == 0 {
				t.Errorf("%s: no item in Cách thức thực hiện", where)
			}
			if len(fees[name]) == 0 || len(deadlines[name]) == 0 {
				t.Errorf("%s: fee items %d, deadline items %d; want both", where, len(fees[name]), len(deadlines[name]))
				continue
			}
			if ch.Time != nil {
				want := durationNumber(ch.Time.Value)
				if ch.Time.Unit != "" {
					want += " " + vntext.Normalize(ch.Time.Unit)
				}
				if !anyContains(deadlines[name], want) {
					t.Errorf("%s: deadline items %q lack %q", where, deadlines[name], want)
				}
			}
			switch ch.Fee.Kind {
			case catalog.FeeFree:
				if !anyContains(fees[name], "miễn phí") {
					t.Errorf("%s: fee items %q do not say miễn phí", where, fees[name])
				}
			case catalog.FeeAmount:
				for _, a := range ch.Fee.Amounts {
					want := vnNumber(a)
					if ch.Fee.Currency == "USD" {
						want = strconv.FormatInt(a, 10) + " usd"
					}
					if !anyContains(fees[name], want) {
						t.Errorf("%s: fee items %q lack the amount %s", where, fees[name], want)
					}
				}
			}
		}
	}
}

func anyContains(items []string, want string) bool {
	for _, it := range items {
		if strings.Contains(strings.ToLower(it), want) {
			return true
		}
	}
	return false
}

// TestCorpusParses checks every bundled file parses, and regulations keep article numbers.
func TestCorpusParses(t *testing.T) {
	files, _ := filepath.Glob("regulations/*.md")
	if len(files) != 2 {
		t.Fatalf("want 2 regulations, found %d", len(files))
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		sh, err := ingest.ParseSheet(f, data)
		if err != nil {
			t.Fatal(err)
		}
		if sh.Meta.Kind != thutuc.KindRegulation {
			t.Errorf("%s: kind %q", f, sh.Meta.Kind)
		}
	}
	data, _ := os.ReadFile("regulations/luat-cu-tru-2020.md")
	sh, _ := ingest.ParseSheet("luat-cu-tru-2020.md", data)
	articles := 0
	for _, s := range sh.Sections {
		if s.Article != "" {
			articles++
		}
	}
	if articles != 38 {
		t.Errorf("Luật Cư trú: %d articles, want 38", articles)
	}
}
