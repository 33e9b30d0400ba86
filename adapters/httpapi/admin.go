package httpapi

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// AdminRoutes mounts operator routes on the admin listener. The admin API
// provides one in the fx value group "admin_routes" (see AsAdminRoutes);
// MountAdmin gets the /admin/v1 group, which already carries the
// listener's conventions and Cache-Control: no-store.
type AdminRoutes interface {
	MountAdmin(r fiber.Router)
}

// ConsoleMessage is one message the console SMS provider "sent".
type ConsoleMessage struct {
	Phone     string    `json:"phone"`
	Purpose   string    `json:"purpose"`
	Code      string    `json:"code"`
	MessageID string    `json:"message_id"`
	SentAt    time.Time `json:"sent_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// ConsoleMessages is the console provider's memory of recent messages (a
// development mail catcher for SMS). It is provided only while the console
// provider is configured; without it /console/messages is 404.
type ConsoleMessages interface {
	// Recent returns the kept messages, newest first; phone (any accepted
	// form) filters them when not empty.
	Recent(phone string) []ConsoleMessage
}

// newAdminApp builds the admin listener's app: the same conventions as the
// public one (problem+json, X-Request-ID, exact routing), no CORS (browsers
// have no business here).
func (s *Server) newAdminApp() *fiber.App {
	a := fiber.New(fiber.Config{
		AppName:               "authd-admin",
		BodyLimit:             s.cfg.BodyLimit,
		ReadTimeout:           s.cfg.ReadTimeout,
		WriteTimeout:          s.cfg.ReadTimeout,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		CaseSensitive:         true,
		StrictRouting:         true,
		ErrorHandler:          errorHandler(s.Log),
	})
	a.Use(withRequestID, rejectEncodedBodies)
	a.Get("/metrics", s.metricsHandler())
	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/console/messages", noStore, s.consoleMessages)
	v1 := a.Group("/admin/v1", noStore)
	for _, r := range s.AdminRoutes {
		r.MountAdmin(v1)
	}
	return a
}

// noStore marks answers that carry tokens, codes or personal data.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderPragma, "no-cache")
	return c.Next()
}

// consoleMessages serves the console provider's recent messages so a
// developer's second terminal (or the demo page) can read a code without
// the server's output. Only while the console provider is configured:
// with a real vendor there are no codes here to read.
func (s *Server) consoleMessages(c *fiber.Ctx) error {
	if s.Console == nil {
		return fiber.ErrNotFound
	}
	msgs := s.Console.Recent(strings.Clone(c.Query("phone")))
	if msgs == nil {
		msgs = []ConsoleMessage{}
	}
	return reply(c, fiber.StatusOK, fiber.Map{"messages": msgs})
}

// AdminApp exposes the admin listener's app (for app.Test in tests).
func (s *Server) AdminApp() *fiber.App { return s.admin }

// AdminAddr is the admin listener's address once started.
func (s *Server) AdminAddr() string { return s.adminAddr }
