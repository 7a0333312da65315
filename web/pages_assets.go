package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// asset is one embedded static file, with its gzipped form and a strong ETag computed once.
type asset struct {
	body, gz    []byte
	contentType string
	etag        string
}

// assets are the files under static/, by name.
type assets map[string]*asset

// newAssets loads and compresses the embedded static files.
func newAssets() assets {
	out := assets{}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err) // embedded: cannot fail unless the build is broken
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			panic(err)
		}
		if path.Ext(e.Name()) == ".js" {
			body = compactJS(body)
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(e.Name()))
		switch path.Ext(e.Name()) {
		case ".js":
			ct = "application/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		}
		out[e.Name()] = &asset{body: body, gz: gz.Bytes(), contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return out
}

// compactJS drops the indentation, blank lines and whole-line // comments of a script: the
// source stays commented and readable while portals download less. Line breaks are kept, so
// automatic semicolon insertion sees the same code, and nothing inside a line is touched (a
// line of a template literal may lose its indentation, which only the CSS in one has).
func compactJS(src []byte) []byte {
	var out bytes.Buffer
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// serve returns a handler for one asset. Assets are cached briefly and revalidated by ETag:
// portals embed /widget.js by a fixed URL, so a long immutable cache would pin old versions.
func (a assets) serve(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, ok := a[name]
		if !ok {
			c.JSON(http.StatusNotFound, errorBody("not_found", "Không tìm thấy tệp này."))
			return
		}
		h := c.Writer.Header()
		h.Set("Cache-Control", "public, max-age=300, stale-while-revalidate=86400")
		h.Set("ETag", f.etag)
		h.Set("Vary", "Accept-Encoding")
		h.Set("X-Content-Type-Options", "nosniff")
		// Any site may embed the widget; let it be fetched by script too.
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		if match := c.GetHeader("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
			c.Status(http.StatusNotModified)
			return
		}
		body := f.body
		if acceptsGzip(c.GetHeader("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body = f.gz
		}
		c.Data(http.StatusOK, f.contentType, body)
	}
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != "gzip" {
			continue
		}
		q, found := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !found {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
