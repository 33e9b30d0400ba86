package httpapi

import (
	"bytes"
	_ "embed"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The API reference page: Redoc (npm "redoc", the version in
// docs/REDOC-VERSION, fetched and integrity-checked by
// tools/vendor-redoc.sh) rendering /openapi.json, every asset served from
// this binary so the page works with no CDN and no outside network.
var (
	//go:embed docs/redoc.standalone.js
	redocJS []byte
	//go:embed docs/REDOC-VERSION
	redocVersion string
)

const docsPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authd API reference</title>
<style>body { margin: 0; }</style>
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
`

func (s *Server) docs(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// The page loads only what this server serves.
	c.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "+
		"font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'")
	return c.SendString(docsPage)
}

// redocLogo is the one outside URL in Redoc 2's bundle (its attribution
// logo, fetched unconditionally); the page serves a blank image instead.
const redocLogo = "https://cdn.redoc.ly/redoc/logo-mini.svg"

var redocServed = bytes.ReplaceAll(redocJS, []byte(redocLogo),
	[]byte("data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E"))

func (s *Server) docsScript(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Set(fiber.HeaderETag, `"redoc-`+strings.TrimSpace(redocVersion)+`"`)
	return c.Send(redocServed)
}
