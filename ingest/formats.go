package ingest

import "io"

// Importers returns the importers of the formats other than Markdown: the national catalog
// (dvc-jsonl) and laws article by article (laws-json).
func Importers() map[string]Importer {
	return map[string]Importer{
		FormatDVC: func(r io.Reader, file, asOf string, emit func(string, []byte) error, problem func(string, error)) (any, error) {
			return ReadDVC(r, file, asOf, emit, problem)
		},
		FormatLaws: func(r io.Reader, file, asOf string, emit func(string, []byte) error, problem func(string, error)) (any, error) {
			return ReadLaws(r, file, asOf, emit, problem)
		},
	}
}
