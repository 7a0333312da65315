package ingest

// Importers returns the importers of the formats other than Markdown.
func Importers() map[string]Importer {
	return map[string]Importer{}
}
