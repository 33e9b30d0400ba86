package httpapi

import (
	"context"
	_ "embed"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/domain"
)

//go:embed openapi.json
var openapiDoc []byte

// OpenAPI returns the OpenAPI 3 document served at /openapi.json.
func OpenAPI() []byte { return openapiDoc }

func (s *Server) openapi(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(openapiDoc)
}

func (s *Server) jwks(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/jwk-set+json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(s.Keys.JWKS())
}

func (s *Server) healthz(c *fiber.Ctx) error {
	return reply(c, fiber.StatusOK, fiber.Map{"status": "ok"})
}

// readyz pings every dependency at once and names the ones that are down.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := make(map[string]string, len(s.Health))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, h := range s.Health {
		wg.Add(1)
		go func() {
			defer wg.Done()
			state := "ok"
			if err := h.Ping(ctx); err != nil {
				state = "down"
			}
			mu.Lock()
			checks[h.Name()] = state
			mu.Unlock()
		}()
	}
	wg.Wait()
	var down []string
	for name, state := range checks {
		if state != "ok" {
			down = append(down, name)
		}
	}
	if len(down) > 0 {
		return writeProblem(c, problem{Status: 503, Code: "unavailable",
			Detail: "unreachable: " + strings.Join(down, ", "), Checks: checks})
	}
	return reply(c, fiber.StatusOK, fiber.Map{"status": "ok", "checks": checks})
}

func (s *Server) userExists(c *fiber.Ctx) error {
	phone := c.Query("phone")
	if phone == "" && s.UseCases.CheckPhone.Enabled() {
		return errors.Join(errors.New("query parameter phone is required"), domain.ErrInvalidRequest)
	}
	p, exists, err := s.UseCases.CheckPhone.Handle(c.UserContext(), strings.Clone(phone), s.client(c))
	if err != nil {
		return err
	}
	return reply(c, fiber.StatusOK, fiber.Map{"phone": p.E164, "exists": exists})
}

// receipt takes a vendor's delivery receipts. Vendors cannot sign their
// callbacks, so the URL configured at the vendor carries a shared secret
// (?secret=...); without a configured secret the routes are off.
func (s *Server) receipt(c *fiber.Ctx) error {
	if s.Receipts == nil || s.cfg.ReceiptSecret == "" {
		return domain.ErrNotFound
	}
	if !secretMatches(c.Query("secret"), s.cfg.ReceiptSecret) && !secretMatches(bearer(c), s.cfg.ReceiptSecret) {
		return domain.ErrInvalidToken
	}
	out, err := s.Receipts.HandleReceipts(c.UserContext(), strings.Clone(c.Params("provider")), c.Request().Body())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(out)
}
