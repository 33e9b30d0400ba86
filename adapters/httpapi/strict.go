package httpapi

import (
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// requireJSONBody refuses a request body that is not declared as JSON
// (415). Browsers send text/plain, form and multipart bodies cross-site
// without a preflight ("simple" requests), so accepting them would let any
// web page make its visitors' browsers request codes or log in.
func requireJSONBody(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/v1/sms/receipts/") {
		return c.Next() // vendors' callbacks: their format, checked by secret
	}
	ct := c.Get(fiber.HeaderContentType)
	if ct == "" && len(c.Request().Body()) == 0 {
		return c.Next() // no body at all: the handler says what it needs
	}
	if !isJSONMediaType(ct) {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "the request body must be application/json")
	}
	return c.Next()
}

// isJSONMediaType accepts application/json with at most a UTF-8 charset.
func isJSONMediaType(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != fiber.MIMEApplicationJSON {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

// noStorePrivate marks public answers that carry tokens or personal data
// as not to be kept by any cache (RFC 6749 5.1; Pragma for HTTP/1.0
// caches). The admin listener marks all of its private routes (noStore).
func noStorePrivate(c *fiber.Ctx) error {
	p := c.Path()
	if strings.HasPrefix(p, "/v1/sessions/") || strings.HasPrefix(p, "/v1/tokens/") ||
		p == "/v1/me" || strings.HasPrefix(p, "/v1/me/") {
		return noStore(c)
	}
	return c.Next()
}

// refuseAmbiguousFraming refuses, before routing, a request that says both
// Transfer-Encoding and Content-Length (RFC 9112 6.3): a proxy in front
// may have framed it by the other header, so its body could hide a second
// request. fasthttp goes by Transfer-Encoding; we answer 400 and close.
// (fasthttp itself refuses differing Content-Lengths and unknown codings.)
func refuseAmbiguousFraming(c *fiber.Ctx) error {
	h := &c.Request().Header
	if h.ContentLength() == -1 && hasRawHeader(h.RawHeaders(), "content-length") {
		c.Context().SetConnectionClose()
		return fiber.NewError(fiber.StatusBadRequest, "a request must not carry both Transfer-Encoding and Content-Length")
	}
	return c.Next()
}

// hasRawHeader reports whether the raw header block has a field named name
// (lower case).
func hasRawHeader(raw []byte, name string) bool {
	for line := range strings.SplitSeq(string(raw), "\n") {
		k, _, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return true
		}
	}
	return false
}
