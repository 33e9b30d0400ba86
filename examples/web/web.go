// Package web is the example browser client: a static page (static/) and
// the handler that serves it from its own origin, as a web front end would
// be, against a separate authd.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"net/http/httputil"
	"net/url"
)

//go:embed static
var static embed.FS

// Handler serves the page and, when admin is set (authd's admin listener,
// e.g. http://127.0.0.1:8081), forwards GET /console/messages there so the
// page can show the console provider's codes. The admin listener has no
// CORS on purpose; the forward keeps it that way.
func Handler(admin *url.URL) http.Handler {
	files, _ := fs.Sub(static, "static") // a fixed, embedded path
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServerFS(files))
	if admin != nil {
		proxy := httputil.NewSingleHostReverseProxy(admin)
		mux.Handle("GET /console/messages", proxy)
	}
	return mux
}
