// Package corpus holds the bundled corpus: procedure sheets and regulations (ingested from
// this folder by `make run`), the everyday-word lexicon, the procedure knowledge base, the
// built-in embedder's trained model and the question sets, which are embedded in the binary.
package corpus

import (
	"embed"
	"errors"
	"io/fs"

	"github.com/thutuc/thutuc/kb"
)

// Lexicon is lexicon.tsv: everyday words and abbreviations mapped to official terms.
//
//go:embed lexicon.tsv
var Lexicon []byte

// Questions is eval/questions.jsonl, the development question set.
//
//go:embed eval/questions.jsonl
var Questions []byte

//go:embed kb model
var files embed.FS

// ModelPath is where the built-in embedder's model is kept, relative to this folder;
// ResolverPath the resolver's.
const (
	ModelPath    = "model/embedder.bin"
	ResolverPath = "model/resolver.json"
)

// KB loads the procedure knowledge base (kb/).
func KB() (*kb.Base, error) {
	sub, err := fs.Sub(files, "kb")
	if err != nil {
		return nil, err
	}
	return kb.Load(sub)
}

// File is one embedded file.
type File struct {
	Name string
	Data []byte
}

// KBFiles returns the knowledge base's files, by name.
func KBFiles() ([]File, error) {
	var out []File
	err := fs.WalkDir(files, "kb", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		out = append(out, File{p, b})
		return err
	})
	return out, err
}

// Model returns the built-in embedder's trained model, or nil when none has been trained
// (see `thutuc train`).
func Model() ([]byte, error) {
	b, err := files.ReadFile(ModelPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// Resolver returns the resolver's model (JSON), or nil when none has been fit (see `thutuc
// resolver-train`).
func Resolver() ([]byte, error) {
	b, err := files.ReadFile(ResolverPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}
