package ingest

import (
	"io"

	"github.com/thutuc/thutuc/ingest/catalog"
	"github.com/thutuc/thutuc/kb"
)

// Importers returns the importers of the formats other than Markdown: the national catalog
// (dvc-jsonl) and laws article by article (laws-json). The catalog's sheets take their
// everyday names and actions from base (which may be nil).
func Importers(base *kb.Base) map[string]Importer {
	return map[string]Importer{
		FormatDVC: func(r io.Reader, file, asOf string, emit func(string, []byte) error, problem func(string, error)) (any, error) {
			return catalog.ReadWith(r, file, asOf, base, emit, problem)
		},
		FormatLaws: func(r io.Reader, file, asOf string, emit func(string, []byte) error, problem func(string, error)) (any, error) {
			return ReadLaws(r, file, asOf, emit, problem)
		},
	}
}
