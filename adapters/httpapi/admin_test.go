package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// do sends one request to app and returns the answer and its body.
func do(t *testing.T, app *fiber.App, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

type fakeConsole []ConsoleMessage

func (f fakeConsole) Recent(phone string) []ConsoleMessage {
	var out []ConsoleMessage
	for _, m := range f {
		if phone == "" || m.Phone == phone {
			out = append(out, m)
		}
	}
	return out
}

type adminHook struct{}

func (adminHook) MountAdmin(r fiber.Router) {
	r.Get("/ping", func(c *fiber.Ctx) error { return c.SendString("pong") })
}

func newTestServer(t *testing.T, cfg Config, d Deps) *Server {
	t.Helper()
	reg := prometheus.NewRegistry()
	d.Registry, d.Gatherer, d.Log = reg, reg, slog.New(slog.DiscardHandler)
	s, err := New(cfg, d)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestAdminListenerRoutes(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), Deps{AdminRoutes: []AdminRoutes{adminHook{}}})
	tests := []struct {
		name     string
		app      *fiber.App
		path     string
		status   int
		wantBody string
	}{
		{"metrics on admin", s.AdminApp(), "/metrics", 200, ""},
		{"healthz on admin", s.AdminApp(), "/healthz", 200, `"status":"ok"`},
		{"readyz on admin", s.AdminApp(), "/readyz", 200, `"status":"ok"`},
		{"admin hook mounted under /admin/v1", s.AdminApp(), "/admin/v1/ping", 200, "pong"},
		{"metrics not public", s.App(), "/metrics", 404, `"code":"not_found"`},
		{"healthz public", s.App(), "/healthz", 200, `"status":"ok"`},
		{"readyz public", s.App(), "/readyz", 200, `"status":"ok"`},
		{"admin API not public", s.App(), "/admin/v1/ping", 404, `"code":"not_found"`},
		{"routing case-sensitive (admin)", s.AdminApp(), "/METRICS", 404, `"code":"not_found"`},
		{"routing strict (admin)", s.AdminApp(), "/metrics/", 404, `"code":"not_found"`},
		{"routing case-sensitive (public)", s.App(), "/HEALTHZ", 404, `"code":"not_found"`},
		{"routing strict (public)", s.App(), "/healthz/", 404, `"code":"not_found"`},
		{"console catcher off without console provider", s.AdminApp(), "/console/messages", 404, `"code":"not_found"`},
	}
	// A public request shows up in the admin listener's metrics.
	do(t, s.App(), httptest.NewRequest(fiber.MethodGet, "/healthz", nil))
	if _, body := do(t, s.AdminApp(), httptest.NewRequest(fiber.MethodGet, "/metrics", nil)); !strings.Contains(body,
		`authd_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Errorf("admin /metrics lacks the public request:\n%s", body)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, tt.app, httptest.NewRequest(fiber.MethodGet, tt.path, nil))
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.wantBody) {
				t.Fatalf("GET %s = %d %s, want %d with %s", tt.path, resp.StatusCode, body, tt.status, tt.wantBody)
			}
			if resp.Header.Get(headerReqID) == "" {
				t.Error("no X-Request-ID")
			}
			if tt.status >= 400 && resp.Header.Get(fiber.HeaderContentType) != "application/problem+json" {
				t.Errorf("error Content-Type = %q", resp.Header.Get(fiber.HeaderContentType))
			}
		})
	}
}

func TestAdminEchoesRequestID(t *testing.T) {
	s := newTestServer(t, DefaultConfig(), Deps{})
	req := httptest.NewRequest(fiber.MethodGet, "/nope", nil)
	req.Header.Set(headerReqID, "trace-42")
	resp, body := do(t, s.AdminApp(), req)
	if resp.Header.Get(headerReqID) != "trace-42" || !strings.Contains(body, `"request_id":"trace-42"`) {
		t.Fatalf("X-Request-ID = %q, body %s", resp.Header.Get(headerReqID), body)
	}
}

func TestConsoleMessages(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	s := newTestServer(t, DefaultConfig(), Deps{Console: fakeConsole{
		{Phone: "+8613711112222", Purpose: "login", Code: "123456", MessageID: "m2", SentAt: at, ExpiresAt: at.Add(5 * time.Minute)},
		{Phone: "+8613711113333", Purpose: "login", Code: "654321", MessageID: "m1", SentAt: at, ExpiresAt: at.Add(5 * time.Minute)},
	}})
	tests := []struct {
		query string
		codes []string
	}{
		{"", []string{"123456", "654321"}},
		{"?phone=%2B8613711113333", []string{"654321"}},
		{"?phone=%2B8613700000000", []string{}},
	}
	for _, tt := range tests {
		resp, body := do(t, s.AdminApp(), httptest.NewRequest(fiber.MethodGet, "/console/messages"+tt.query, nil))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tt.query, resp.StatusCode, body)
		}
		if resp.Header.Get(fiber.HeaderCacheControl) != "no-store" {
			t.Errorf("Cache-Control = %q: codes must not be cached", resp.Header.Get(fiber.HeaderCacheControl))
		}
		var got struct {
			Messages []map[string]any `json:"messages"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil || got.Messages == nil {
			t.Fatalf("%s: body %s (%v)", tt.query, body, err)
		}
		var codes []string
		for _, m := range got.Messages {
			codes = append(codes, m["code"].(string))
			if m["phone"] == nil || m["purpose"] == nil || m["sent_at"] == nil || m["message_id"] == nil {
				t.Errorf("message lacks members: %v", m)
			}
		}
		if strings.Join(codes, ",") != strings.Join(tt.codes, ",") {
			t.Errorf("%s: codes %v, want %v", tt.query, codes, tt.codes)
		}
	}
	// Never on the public listener, whatever is configured.
	if resp, _ := do(t, s.App(), httptest.NewRequest(fiber.MethodGet, "/console/messages", nil)); resp.StatusCode != 404 {
		t.Errorf("public /console/messages = %d, want 404", resp.StatusCode)
	}
}

func TestCORS(t *testing.T) {
	const allowed = "http://127.0.0.1:5173"
	cfg := DefaultConfig()
	cfg.CORSOrigins = []string{allowed, "https://app.example.com"}
	s := newTestServer(t, cfg, Deps{})
	off := newTestServer(t, DefaultConfig(), Deps{})

	preflight := func(origin string) *http.Request {
		r := httptest.NewRequest(fiber.MethodOptions, "/v1/sms/codes", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "POST")
		r.Header.Set("Access-Control-Request-Headers", "content-type,x-request-id")
		return r
	}
	getPath := func(origin, path string) *http.Request {
		r := httptest.NewRequest(fiber.MethodGet, path, nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		return r
	}
	get := func(origin string) *http.Request { return getPath(origin, "/healthz") }
	tests := []struct {
		name       string
		app        *fiber.App
		req        *http.Request
		status     int
		wantOrigin string
	}{
		{"preflight from an allowed origin", s.App(), preflight(allowed), 204, allowed},
		{"preflight from the second allowed origin", s.App(), preflight("https://app.example.com"), 204, "https://app.example.com"},
		{"preflight from another origin", s.App(), preflight("http://evil.example"), 405, ""},
		{"preflight from a look-alike", s.App(), preflight("https://app.example.com.evil.example"), 405, ""},
		{"preflight with an empty list", off.App(), preflight(allowed), 405, ""},
		{"simple answer to an allowed origin", s.App(), get(allowed), 200, allowed},
		{"error answer to an allowed origin", s.App(), getPath(allowed, "/nope"), 404, allowed},
		{"answer to another origin", s.App(), get("http://evil.example"), 200, ""},
		{"answer without Origin", s.App(), get(""), 200, ""},
		{"answer with an empty list", off.App(), get(allowed), 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, tt.app, tt.req)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, tt.status)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.wantOrigin {
				t.Fatalf("Access-Control-Allow-Origin = %q, want %q", got, tt.wantOrigin)
			}
			if tt.wantOrigin == "" {
				for k := range resp.Header {
					if strings.HasPrefix(strings.ToLower(k), "access-control-") {
						t.Errorf("unexpected %s header", k)
					}
				}
				return
			}
			if resp.Header.Get("Access-Control-Allow-Credentials") != "" {
				t.Error("credentials mode must not be allowed")
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Origin") {
				t.Errorf("Vary = %q", resp.Header.Get("Vary"))
			}
			expose := strings.ToLower(resp.Header.Get("Access-Control-Expose-Headers"))
			if !strings.Contains(expose, "retry-after") || !strings.Contains(expose, "x-request-id") {
				t.Errorf("Access-Control-Expose-Headers = %q", expose)
			}
			if resp.Header.Get(headerReqID) == "" {
				t.Error("no X-Request-ID")
			}
			if tt.req.Method != fiber.MethodOptions {
				return
			}
			headers := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
			for _, h := range []string{"content-type", "authorization", "x-request-id"} {
				if !strings.Contains(headers, h) {
					t.Errorf("Access-Control-Allow-Headers = %q lacks %s", headers, h)
				}
			}
			methods := resp.Header.Get("Access-Control-Allow-Methods")
			for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
				if !strings.Contains(methods, m) {
					t.Errorf("Access-Control-Allow-Methods = %q lacks %s", methods, m)
				}
			}
			if resp.Header.Get("Access-Control-Max-Age") == "" {
				t.Error("no Access-Control-Max-Age")
			}
		})
	}
}

func TestCORSOriginsValidated(t *testing.T) {
	for _, tt := range []struct {
		origin string
		ok     bool
	}{
		{"https://app.example.com", true},
		{"http://127.0.0.1:5173", true},
		{"https://app.example.com/", true},
		{"*", false},
		{"https://*.example.com", false},
		{"app.example.com", false},
		{"https://app.example.com/path", false},
		{"ftp://app.example.com", false},
	} {
		cfg := DefaultConfig()
		cfg.CORSOrigins = []string{tt.origin}
		if err := cfg.Validate(); (err == nil) != tt.ok {
			t.Errorf("Validate(%q) = %v, want ok=%v", tt.origin, err, tt.ok)
		}
	}
}
