package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
)

const (
	localRequestID = "authd.request_id"
	localClaims    = "authd.claims"
	headerReqID    = "X-Request-ID"
)

// withRequestID echoes a sane client X-Request-ID or makes one, on every
// response including errors.
func withRequestID(c *fiber.Ctx) error {
	id := c.Get(headerReqID)
	if !saneRequestID(id) {
		var b [16]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	} else {
		id = strings.Clone(id) // fasthttp reuses the header buffer
	}
	c.Locals(localRequestID, id)
	c.Set(headerReqID, id)
	return c.Next()
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// rejectEncodedBodies refuses compressed request bodies: inflating them
// would defeat the body limit (a few hundred bytes of nested gzip expand to
// gigabytes), and no client of this API needs to send them.
func rejectEncodedBodies(c *fiber.Ctx) error {
	if enc := c.Get(fiber.HeaderContentEncoding); enc != "" && !strings.EqualFold(strings.TrimSpace(enc), "identity") {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Content-Encoding is not supported for request bodies")
	}
	return c.Next()
}

// requestID returns the request's id, making one for requests that never
// reached the middleware (e.g. a body over the limit).
func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals(localRequestID).(string); ok {
		return id
	}
	if id := c.Get(headerReqID); saneRequestID(id) {
		id = strings.Clone(id)
		c.Set(headerReqID, id)
		return id
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Set(headerReqID, id)
	return id
}

// withMetrics records each request's count and latency by route and status.
func (s *Server) withMetrics(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler runs after us; classify now so the label is right.
		status = toProblem(err).Status
	}
	// Label values are kept by Prometheus for ever: they must not alias
	// fasthttp's reused buffers, so take them from the route table.
	r := c.Route()
	route, method := r.Path, r.Method
	if r.Method == "USE" || (status == fiber.StatusNotFound && route == "/") {
		route, method = "unmatched", strings.Clone(c.Method())
	}
	labels := []string{method, route, strconv.Itoa(status)}
	s.metrics.requests.WithLabelValues(labels...).Inc()
	s.metrics.latency.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
	return err
}

// requireAuth verifies the Bearer access token, refuses it when its
// session has ended, and stores its claims.
func (s *Server) requireAuth(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return domain.ErrInvalidToken
	}
	// Clone: the header aliases fasthttp's reused buffer, and the token may
	// be kept (the verified-token cache) after this request.
	now := s.Clock.Now()
	claims, err := s.Tokens.VerifyAccess(c.UserContext(), strings.Clone(strings.TrimSpace(h[len(prefix):])), now)
	if err != nil {
		return domain.ErrInvalidToken
	}
	if s.Ended != nil {
		// A memory lookup in the common case (see ports.EndedSessions);
		// a store that cannot tell is a 503, never a pass.
		ended, err := s.Ended.IsEnded(c.UserContext(), claims.SessionID, now)
		if err != nil {
			return err
		}
		if ended {
			return domain.ErrInvalidToken
		}
	}
	c.Locals(localClaims, claims)
	return c.Next()
}

func claimsOf(c *fiber.Ctx) domain.AccessClaims {
	cl, _ := c.Locals(localClaims).(domain.AccessClaims)
	return cl
}

// client describes the caller for limits and session records.
func (s *Server) client(c *fiber.Ctx) app.Client {
	return app.Client{IP: s.ips.resolve(c), UserAgent: cleanUserAgent(c.Get(fiber.HeaderUserAgent))}
}

// maxUserAgent bounds what a session record keeps of the User-Agent.
const maxUserAgent = 512

// cleanUserAgent makes a header the client controls safe to store: valid
// UTF-8 (Postgres refuses anything else), no control characters (SQLite
// refuses NUL), bounded, and a copy of fasthttp's reused buffer.
func cleanUserAgent(ua string) string {
	ua = strings.ToValidUTF8(ua, "")
	ua = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, ua)
	if len(ua) > maxUserAgent {
		ua = strings.ToValidUTF8(ua[:maxUserAgent], "")
	}
	return strings.Clone(ua)
}
