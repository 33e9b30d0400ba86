package httpapi

import (
	"io"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestClientIPFromTrustedProxy(t *testing.T) {
	r := clientIPs{trusted: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32"), netip.MustParsePrefix("10.0.0.0/8")}}
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString(r.resolve(c)) })
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"one line", []string{"203.0.113.7"}, "203.0.113.7"},
		{"the proxy appended a line", []string{"9.9.9.9", "203.0.113.7"}, "203.0.113.7"},
		{"lines and commas", []string{"9.9.9.9, 8.8.8.8", "203.0.113.7, 10.1.1.1"}, "203.0.113.7"},
		{"a zone is not an address", []string{"fe80::1%eth0"}, "0.0.0.0"},
		{"a zone after a client", []string{"203.0.113.7", "fe80::1%25x"}, "0.0.0.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			for _, l := range tc.lines {
				req.Header.Add("X-Forwarded-For", l)
			}
			resp, err := app.Test(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			if string(b) != tc.want {
				t.Fatalf("client IP %q, want %q", b, tc.want)
			}
		})
	}
}
