// Package corpus holds the bundled corpus: procedure sheets and regulations (ingested from
// this folder by `make run`), the everyday-word lexicon and the development question set,
// which are embedded in the binary.
package corpus

import _ "embed"

// Lexicon is lexicon.tsv: everyday words and abbreviations mapped to official terms.
//
//go:embed lexicon.tsv
var Lexicon []byte

// Questions is eval/questions.jsonl, the development question set.
//
//go:embed eval/questions.jsonl
var Questions []byte
