// Command demo serves the example page (examples/web) on its own origin;
// `make demo` runs it beside a local authd whose AUTHD_CORS_ALLOWED_ORIGINS
// lists that origin.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/authd/authd/examples/web"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5173", "listen address of the page")
	api := flag.String("api", "http://127.0.0.1:8080", "authd's public URL (the page's default)")
	admin := flag.String("admin", "http://127.0.0.1:8081", "authd's admin listener, for the console provider's codes")
	flag.Parse()
	adminURL, err := url.Parse(*admin)
	if err != nil || adminURL.Host == "" {
		fmt.Fprintln(os.Stderr, "demo: -admin must be a URL like http://127.0.0.1:8081")
		os.Exit(2)
	}
	fmt.Printf("demo page: http://%s/?api=%s\n", *addr, url.QueryEscape(*api))
	srv := &http.Server{Addr: *addr, Handler: web.Handler(adminURL), ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
