// Package thutuc holds the domain types shared by the service: documents (procedure sheets and
// regulations), their chunks, search filters and results, and the error codes every layer uses.
// Packages named after an outside dependency (postgres, web, embedding) implement or use them.
package thutuc

import "time"

// Kind says what a document is.
const (
	KindProcedure  = "procedure"
	KindRegulation = "regulation"
)

// Canonical sections of a procedure sheet. Headings that map to none of them are kept as
// SectionOther with their own heading text.
const (
	SectionOverview   = "overview"
	SectionDocuments  = "documents"
	SectionFees       = "fees"
	SectionDeadline   = "deadline"
	SectionSteps      = "steps"
	SectionChannels   = "channels"
	SectionAgency     = "agency"
	SectionApplicants = "applicants"
	SectionConditions = "conditions"
	SectionResult     = "result"
	SectionLegalBasis = "legal_basis"
	SectionForms      = "forms"
	SectionArticle    = "article"
	SectionOther      = "other"
)

// Document is one procedure sheet or one regulation, as ingested.
type Document struct {
	ID          string         `json:"id"`
	Kind        string         `json:"kind"`
	Code        string         `json:"code"`
	Title       string         `json:"title"`
	Aliases     []string       `json:"aliases"`
	Field       string         `json:"field"`
	Level       string         `json:"level"`
	Agency      string         `json:"agency"`
	Locality    string         `json:"locality"`
	Metadata    map[string]any `json:"metadata,omitempty"`
	SourceURL   string         `json:"source_url"`
	AsOf        string         `json:"as_of"` // YYYY-MM-DD, "" when unknown
	SourcePath  string         `json:"source_path,omitempty"`
	ContentHash string         `json:"-"`
	Body        string         `json:"body,omitempty"` // the Markdown without front matter
	UpdatedAt   time.Time      `json:"updated_at"`
	// Embedding is the document's own vector (see ingest.DocumentVector), beside its chunks'.
	Embedding []float32 `json:"-"`

	Chunks []Chunk `json:"sections,omitempty"`
}

// Chunk is a piece of one section of a document: the unit that is searched and cited.
// A chunk never spans two sections.
type Chunk struct {
	ID          int64     `json:"-"`
	DocumentID  string    `json:"-"`
	Section     string    `json:"section"`
	Heading     string    `json:"heading"`
	HeadingPath []string  `json:"heading_path,omitempty"`
	Article     string    `json:"article,omitempty"`
	Ordinal     int       `json:"ordinal"`
	Text        string    `json:"text"`
	Embedding   []float32 `json:"-"`
}

// Filter narrows searches and listings. Empty fields do not filter.
type Filter struct {
	Kind     string `json:"kind,omitempty"`
	Level    string `json:"level,omitempty"` // a level key (bo, tinh, xa) or its name (Cấp xã)
	Field    string `json:"field,omitempty"`
	Agency   string `json:"agency,omitempty"`
	Locality string `json:"locality,omitempty"`
}

// DocumentSummary is a document without its body, as listed.
type DocumentSummary struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Code      string `json:"code"`
	Title     string `json:"title"`
	Field     string `json:"field"`
	Level     string `json:"level"`
	Agency    string `json:"agency"`
	Locality  string `json:"locality"`
	SourceURL string `json:"source_url"`
	AsOf      string `json:"as_of"`
}

// SearchResult is one document found by a search, with its best sections.
type SearchResult struct {
	DocumentID string          `json:"document_id"`
	Code       string          `json:"code"`
	Title      string          `json:"title"`
	Kind       string          `json:"kind"`
	Level      string          `json:"level"`
	Score      float64         `json:"score"`
	SourceURL  string          `json:"source_url"`
	AsOf       string          `json:"as_of"`
	Sections   []SearchSection `json:"sections"`
}

// SearchSection is one matching chunk of a search result.
type SearchSection struct {
	ChunkID int64  `json:"-"`
	Section string `json:"section"`
	Heading string `json:"heading"`
	Article string `json:"article,omitempty"`
	Text    string `json:"text"`
}
