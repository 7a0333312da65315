package embedding

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// Trained is the built-in embedder learnt from our own data (see Train): a table of dense
// vectors for the hashed features of text (Features) and one vector per procedure code
// (label). A text's vector is the normalised mean of its features' vectors; training places it
// near the label of the procedure the text is about, so that a citizen's question lands near
// the procedure they mean even when it shares few words with its title. Pure Go, no
// downloads; embedding a query costs a few microseconds.
type Trained struct {
	name   string
	dim    int
	scale  float32          // softmax scale the model was trained with
	keys   []uint32         // feature hashes, sorted
	rows   []float32        // len(keys)·dim, row i is keys[i]'s vector
	labels map[string]int   // code → label index
	codes  []string         // label index → code
	lvecs  []float32        // len(codes)·dim, unit vectors
	index  map[uint32]int32 // feature hash → row
	// Info says what the model was trained from and how (written by `thutuc train`).
	Info ModelInfo
}

// ModelInfo is stored in the model file: the digest of the training inputs, so that a test can
// tell a model that is out of date with the committed data, and the training options.
type ModelInfo struct {
	Inputs  string            `json:"inputs"`  // sha256 of the committed training inputs, see `thutuc train`
	Catalog string            `json:"catalog"` // sha256 of the catalog file it read
	Options map[string]string `json:"options,omitempty"`
	Counts  map[string]int    `json:"counts,omitempty"` // examples by source
}

// modelMagic starts a model file; modelVersion is bumped when the format or the features change.
const (
	modelMagic   = "TTEM"
	modelVersion = 1
)

// Name implements Embedder: the format version and a digest of the model, so that a store
// filled by one model refuses vectors of another.
func (m *Trained) Name() string { return m.name }

// Dim is the vector size.
func (m *Trained) Dim() int { return m.dim }

// Labels are the procedure codes the model knows.
func (m *Trained) Labels() []string { return m.codes }

// EmbedDocuments implements Embedder.
func (m *Trained) EmbedDocuments(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = m.Vector(t)
	}
	return out, nil
}

// EmbedQuery implements Embedder.
func (m *Trained) EmbedQuery(_ context.Context, text string) ([]float32, error) {
	return m.Vector(text), nil
}

// Vector embeds one text: the normalised mean of its known features' vectors (the zero vector
// when it has none).
func (m *Trained) Vector(text string) []float32 {
	acc := make([]float32, m.dim)
	for _, f := range Features(text) {
		r, ok := m.index[f]
		if !ok {
			continue
		}
		row := m.rows[int(r)*m.dim : int(r+1)*m.dim]
		for j, x := range row {
			acc[j] += x
		}
	}
	normalize(acc)
	return acc
}

// LabelVector returns the vector of a procedure code the model was trained on.
func (m *Trained) LabelVector(code string) ([]float32, bool) {
	i, ok := m.labels[code]
	if !ok {
		return nil, false
	}
	return append([]float32(nil), m.lvecs[i*m.dim:(i+1)*m.dim]...), true
}

func normalize(v []float32) {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(n))
	for i := range v {
		v[i] *= inv
	}
}

// WriteTo writes the model: a header, the labels with their vectors, then the feature keys and
// their rows quantised to 8 bits with one scale per row (a 64-dimension row takes 68 bytes).
func (m *Trained) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	b.WriteString(modelMagic)
	put := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	put(uint32(modelVersion))
	put(uint32(m.dim))
	put(m.scale)
	info, err := json.Marshal(m.Info)
	if err != nil {
		return 0, err
	}
	put(uint32(len(info)))
	b.Write(info)
	put(uint32(len(m.codes)))
	for i, c := range m.codes {
		put(uint8(len(c)))
		b.WriteString(c)
		put(m.lvecs[i*m.dim : (i+1)*m.dim])
	}
	put(uint32(len(m.keys)))
	put(m.keys)
	q := make([]int8, m.dim)
	for i := range m.keys {
		row := m.rows[i*m.dim : (i+1)*m.dim]
		var mx float32
		for _, x := range row {
			mx = max(mx, float32(math.Abs(float64(x))))
		}
		s := mx / 127
		for j, x := range row {
			if s > 0 {
				q[j] = int8(math.Round(float64(x / s)))
			} else {
				q[j] = 0
			}
		}
		put(s)
		put(q)
	}
	n, err := w.Write(b.Bytes())
	return int64(n), err
}

// LoadTrained reads a model written by WriteTo.
func LoadTrained(data []byte) (*Trained, error) {
	r := bytes.NewReader(data)
	fail := func(err error) (*Trained, error) { return nil, fmt.Errorf("load embedding model: %w", err) }
	magic := make([]byte, 4)
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != modelMagic {
		return fail(errors.New("not a thutuc embedding model"))
	}
	get := func(v any) error { return binary.Read(r, binary.LittleEndian, v) }
	var version, dim, ninfo, nlab uint32
	m := &Trained{}
	if err := errors.Join(get(&version), get(&dim), get(&m.scale), get(&ninfo)); err != nil {
		return fail(err)
	}
	if int64(ninfo) > int64(r.Len()) {
		return fail(errors.New("truncated"))
	}
	info := make([]byte, ninfo)
	if _, err := io.ReadFull(r, info); err != nil {
		return fail(err)
	}
	if err := json.Unmarshal(info, &m.Info); err != nil {
		return fail(fmt.Errorf("model info: %w", err))
	}
	if err := get(&nlab); err != nil {
		return fail(err)
	}
	if version != modelVersion {
		return fail(fmt.Errorf("model format %d, this build reads %d: run `thutuc train`", version, modelVersion))
	}
	if dim == 0 || dim > 4096 || nlab > 1<<20 {
		return fail(errors.New("corrupt header"))
	}
	m.dim = int(dim)
	m.labels = make(map[string]int, nlab)
	m.lvecs = make([]float32, int(nlab)*m.dim)
	for i := 0; i < int(nlab); i++ {
		var n uint8
		if err := get(&n); err != nil {
			return fail(err)
		}
		code := make([]byte, n)
		if _, err := io.ReadFull(r, code); err != nil {
			return fail(err)
		}
		if err := get(m.lvecs[i*m.dim : (i+1)*m.dim]); err != nil {
			return fail(err)
		}
		m.labels[string(code)] = i
		m.codes = append(m.codes, string(code))
	}
	var nkeys uint32
	if err := get(&nkeys); err != nil {
		return fail(err)
	}
	if int64(nkeys)*int64(4+4+m.dim) > int64(r.Len()) {
		return fail(errors.New("truncated"))
	}
	m.keys = make([]uint32, nkeys)
	if err := get(m.keys); err != nil {
		return fail(err)
	}
	if !sort.SliceIsSorted(m.keys, func(i, j int) bool { return m.keys[i] < m.keys[j] }) {
		return fail(errors.New("feature keys out of order"))
	}
	m.rows = make([]float32, int(nkeys)*m.dim)
	q := make([]int8, m.dim)
	for i := 0; i < int(nkeys); i++ {
		var s float32
		if err := errors.Join(get(&s), get(q)); err != nil {
			return fail(err)
		}
		row := m.rows[i*m.dim : (i+1)*m.dim]
		for j, x := range q {
			row[j] = float32(x) * s
		}
	}
	if r.Len() != 0 {
		return fail(errors.New("trailing bytes"))
	}
	m.buildIndex()
	sum := sha256.Sum256(data)
	m.name = fmt.Sprintf("builtin-trained-v%d-%s", modelVersion, hex.EncodeToString(sum[:4]))
	return m, nil
}

func (m *Trained) buildIndex() {
	m.index = make(map[uint32]int32, len(m.keys))
	for i, k := range m.keys {
		m.index[k] = int32(i)
	}
}

// Features is the number of feature vectors in the model.
func (m *Trained) Features() int { return len(m.keys) }
