package resolve

import "github.com/thutuc/thutuc"

// OnePerCode makes a bundled sheet and the catalog record of its official code one search
// result: the sheet, written in plain words, at the better of the two positions (being
// bundled earns no place of its own). Results without a code, and regulations, are kept as
// they are.
func OnePerCode(results []thutuc.SearchResult) []thutuc.SearchResult {
	sheetOf := map[string]int{} // code → index in results of its sheet
	for i, r := range results {
		if isSheet(r) && r.Code != "" {
			if _, ok := sheetOf[r.Code]; !ok {
				sheetOf[r.Code] = i
			}
		}
	}
	out := make([]thutuc.SearchResult, 0, len(results))
	placed := map[string]bool{}
	for _, r := range results {
		i, shared := sheetOf[r.Code]
		if r.Kind != thutuc.KindProcedure || r.Code == "" || !shared {
			out = append(out, r)
			continue
		}
		if placed[r.Code] {
			continue
		}
		placed[r.Code] = true
		sheet := results[i]
		sheet.Score = max(sheet.Score, r.Score)
		out = append(out, sheet)
	}
	return out
}
