package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/thutuc/thutuc"
)

// The pages are server-rendered html/template (auto-escaping) over embedded files; the widget
// and the small page scripts are plain static files.
var (
	//go:embed templates/*.html
	templateFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// pageTemplates holds one template set per page, each the layout plus the page.
type pageTemplates map[string]*template.Template

var pageFuncs = template.FuncMap{"locality": localityName, "percent": percent, "chartWidth": chartWidth, "helpfulRate": helpfulRate}

// parsePages parses every page template with the layout. The templates are embedded, so a
// failure is a programming error caught by any test.
func parsePages() pageTemplates {
	layout := template.Must(template.New("layout.html").Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html"))
	pages := pageTemplates{}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		t := template.Must(layout.Clone())
		pages[strings.TrimSuffix(base, ".html")] = template.Must(t.ParseFS(templateFS, name))
	}
	return pages
}

var templates = parsePages()

// page is what every page template receives: the page's own data and shared details.
type page struct {
	Title       string
	Description string
	Data        any
}

// render executes the named page into a buffer first, so that a template error becomes a
// clean 500 rather than half a page.
func (s *Server) render(c *gin.Context, status int, name string, p page) {
	t, ok := templates[name]
	if !ok {
		s.fail(c, fmt.Errorf("render: no page %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.fail(c, fmt.Errorf("render %s: %w", name, err))
		return
	}
	s.pageHeaders(c)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// pageHeaders sets the security headers of the HTML pages. Scripts and connections are limited
// to this service (and its public URL), so that even a rendering mistake could not run a
// foreign script.
func (s *Server) pageHeaders(c *gin.Context) {
	self := "'self'"
	if o := origin(s.cfg.PublicURL); o != "" {
		self += " " + o
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src "+self+"; connect-src "+self+
		"; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cache-Control", "no-cache")
}

// notFoundPage answers 404 with an HTML page.
func (s *Server) notFoundPage(c *gin.Context, message string) {
	s.render(c, http.StatusNotFound, "error", page{Title: "Không tìm thấy", Data: errorPage{
		Status: http.StatusNotFound, Heading: "Không tìm thấy trang", Message: message,
	}})
}

// pageError answers an error as an HTML page with the status the error code maps to.
func (s *Server) pageError(c *gin.Context, err error) {
	code, status, err := s.classify(c, err)
	s.logFailure(c, code, status, err)
	if status == http.StatusNotFound {
		s.notFoundPage(c, thutuc.ErrorMessage(err))
		return
	}
	s.render(c, status, "error", page{Title: "Lỗi", Data: errorPage{
		Status: status, Heading: "Không thực hiện được yêu cầu", Message: thutuc.ErrorMessage(err),
	}})
}

// pageErrorBack answers an error as an HTML page that offers a way back (label, url) first.
func (s *Server) pageErrorBack(c *gin.Context, err error, label, url string) {
	code, status, err := s.classify(c, err)
	s.logFailure(c, code, status, err)
	s.render(c, status, "error", page{Title: "Lỗi", Data: errorPage{
		Status: status, Heading: "Không thực hiện được yêu cầu", Message: thutuc.ErrorMessage(err), Back: label, BackURL: url,
	}})
}

type errorPage struct {
	Status           int
	Heading, Message string
	Back, BackURL    string // a way back from this error, "" for none
}

// baseURL is the absolute URL the service is reached at, Config.PublicURL, without its final
// slash; "" when it is not configured, and links stay relative. It is never taken from the
// request's Host header, which any client chooses.
func (s *Server) baseURL(*gin.Context) string {
	return strings.TrimRight(s.cfg.PublicURL, "/")
}

// origin returns the scheme://host of an absolute URL, "" when it is not one.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// portalPage is the data of the demo portal.
type portalPage struct {
	WidgetURL string
	Services  []portalService
}

type portalService struct {
	Icon, Name, Desc, URL string
}

// portalServices are the tiles of the demo portal; each opens the lookup on its topic. Icons
// are SVG paths (Material icons), not emoji: kiosks and servers often lack an emoji font.
var portalServices = []portalService{
	{"M18 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2zm-6 4a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm4 12H8v-2h8v2z",
		"Hộ chiếu", "Cấp hộ chiếu phổ thông trong nước", "/tra-cuu?q=h%E1%BB%99+chi%E1%BA%BFu"},
	{"M20 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zM8 8a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm4 8H4v-1c0-1.33 2.67-2 4-2s4 .67 4 2v1zm8-1h-6v-2h6v2zm0-4h-6V9h6v2z",
		"Căn cước", "Cấp, cấp đổi, cấp lại thẻ căn cước", "/tra-cuu?q=c%C4%83n+c%C6%B0%E1%BB%9Bc"},
	{"M10 20v-6h4v6h5v-8h3L12 3 2 12h3v8z",
		"Cư trú", "Thường trú, tạm trú, tạm vắng", "/tra-cuu?q=c%C6%B0+tr%C3%BA"},
	{"M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-2.67 0-8 1.34-8 4v2h16v-2c0-2.66-5.33-4-8-4z",
		"Hộ tịch", "Khai sinh, kết hôn, khai tử", "/tra-cuu?q=h%E1%BB%99+t%E1%BB%8Bch"},
	{"M18.92 6.01C18.72 5.42 18.16 5 17.5 5h-11c-.66 0-1.21.42-1.42 1.01L3 12v8a1 1 0 0 0 1 1h1a1 1 0 0 0 1-1v-1h12v1a1 1 0 0 0 1 1h1a1 1 0 0 0 1-1v-8zM6.5 16a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3zm11 0a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3zM5 11l1.5-4.5h11L19 11z",
		"Giao thông", "Đăng ký xe, đổi giấy phép lái xe", "/tra-cuu?q=xe"},
	{"M12 7V3H2v18h20V7zM6 19H4v-2h2zm0-4H4v-2h2zm0-4H4V9h2zm0-4H4V5h2zm4 12H8v-2h2zm0-4H8v-2h2zm0-4H8V9h2zm0-4H8V5h2zm10 12h-8v-2h2v-2h-2v-2h2v-2h-2V9h8zm-2-8h-2v2h2zm0 4h-2v2h2z",
		"Kinh doanh", "Hộ kinh doanh, doanh nghiệp", "/tra-cuu?q=kinh+doanh"},
}

func (s *Server) handlePortal(c *gin.Context) {
	s.render(c, http.StatusOK, "portal", page{
		Title:       "Cổng dịch vụ công — Demo",
		Description: "Trang minh hoạ nhúng trợ lý hỏi đáp thủ tục hành chính.",
		Data:        portalPage{WidgetURL: s.baseURL(c) + "/widget.js", Services: portalServices},
	})
}
