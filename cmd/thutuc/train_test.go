package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/thutuc/thutuc/corpus"
	"github.com/thutuc/thutuc/embedding"
)

// The committed model must have been trained from the committed data: a change to the
// knowledge base, the training questions or the bundled sheets needs `thutuc train` (see
// corpus/model/README.md). The catalog's digest is checked when the catalog is beside the
// repository.
func TestCommittedModelIsCurrent(t *testing.T) {
	data, err := corpus.Model()
	if err != nil || data == nil {
		t.Fatalf("no committed model (%v): run `thutuc train`", err)
	}
	m, err := embedding.LoadTrained(data)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	catalog := filepath.Join(root, "..", "shared", "data", "dvc-procedures.jsonl")
	_, catErr := os.Stat(catalog)
	info, err := trainingInputs(filepath.Join(root, "corpus", "eval", "citizen", "train.jsonl"), filepath.Join(root, "corpus", "procedures"), catalog)
	if err != nil && catErr == nil {
		t.Fatal(err)
	}
	if info.Inputs != m.Info.Inputs {
		t.Errorf("the model was trained from other data (inputs %.12s, now %.12s): run `make model` and commit corpus/model/embedder.bin", m.Info.Inputs, info.Inputs)
	}
	if catErr == nil && info.Catalog != m.Info.Catalog {
		t.Errorf("the model was trained from another catalog file (%.12s, now %.12s)", m.Info.Catalog, info.Catalog)
	}
}
