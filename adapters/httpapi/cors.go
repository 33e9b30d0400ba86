package httpapi

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// corsMaxAge is how long a browser may cache a preflight answer (seconds).
const corsMaxAge = "600"

// validateOrigins accepts exact origins only (scheme://host[:port], no
// path, no wildcard): a pattern would let a look-alike domain in.
func validateOrigins(list []string) error {
	for _, o := range list {
		if _, ok := normalOrigin(o); !ok {
			return fmt.Errorf("%q is not an origin like https://app.example.com", o)
		}
	}
	return nil
}

// normalOrigin returns the origin as a browser serialises it (lower-case
// scheme and host, no trailing slash).
func normalOrigin(o string) (string, bool) {
	o = strings.TrimSpace(o)
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.Contains(u.Host, "*") {
		return "", false
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host), true
}

// withCORS answers preflights and labels answers for the configured
// origins exactly as API.md says; any other origin gets no Access-Control-*
// header, so the browser refuses to hand the answer to its page. Tokens
// travel in bodies and headers, never cookies: no credentials mode.
func withCORS(origins []string) fiber.Handler {
	allowed := make(map[string]bool, len(origins))
	for _, o := range origins {
		if n, ok := normalOrigin(o); ok {
			allowed[n] = true
		}
	}
	return func(c *fiber.Ctx) error {
		if len(allowed) == 0 {
			return c.Next()
		}
		// The answer depends on Origin whenever a list is set: caches must
		// not hand one origin's answer to another.
		c.Vary(fiber.HeaderOrigin)
		origin := c.Get(fiber.HeaderOrigin)
		if origin == "" || !allowed[origin] {
			return c.Next()
		}
		origin = strings.Clone(origin) // fasthttp reuses the header buffer
		c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
		c.Set(fiber.HeaderAccessControlExposeHeaders, "Retry-After, X-Request-ID")
		if c.Method() == fiber.MethodOptions && c.Get(fiber.HeaderAccessControlRequestMethod) != "" {
			c.Set(fiber.HeaderAccessControlAllowMethods, "GET, POST, PUT, PATCH, DELETE")
			c.Set(fiber.HeaderAccessControlAllowHeaders, "content-type, authorization, x-request-id")
			c.Set(fiber.HeaderAccessControlMaxAge, corsMaxAge)
			return c.SendStatus(fiber.StatusNoContent)
		}
		return c.Next()
	}
}
