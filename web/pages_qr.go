package web

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
	"rsc.io/qr"
)

// qrQuietZone is the white margin around a QR code, in modules, that scanners need.
const qrQuietZone = 4

// handleChecklistQR serves the QR code of a checklist's absolute URL, with its case
// (?truong-hop=N), as SVG: for a coach to share the checklist with a household. The URL comes
// from the public URL only; without one there is no absolute URL to encode, and no code.
func (s *Server) handleChecklistQR(c *gin.Context) {
	cl, err := s.loadChecklist(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if cl.ShareURL == "" {
		s.fail(c, thutuc.Errorf(thutuc.ENOTFOUND, "Chưa cấu hình địa chỉ công khai của dịch vụ (THUTUC_PUBLIC_URL), nên không tạo được mã QR."))
		return
	}
	svg, err := qrSVG(cl.ShareURL)
	if err != nil {
		s.fail(c, fmt.Errorf("qr code of %s: %w", cl.ShareURL, err))
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/svg+xml", []byte(svg))
}

// qrSVG draws the QR code of text (error correction M) as SVG: one path of the dark modules,
// a row's run of them one rectangle, on white with the quiet zone.
func qrSVG(text string) (string, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	n := code.Size + 2*qrQuietZone
	var d strings.Builder
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", x+qrQuietZone, y+qrQuietZone, run, run)
			x += run
		}
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+
		`<title>Mã QR: %s</title><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, html.EscapeString(text), n, n, d.String()), nil
}
