package catalog

// DebrisCounts exposes sheetDebris to the external tests: the lines of a sheet that show each
// debris pattern.
func DebrisCounts(md []byte) map[string]int { return sheetDebris(md) }
