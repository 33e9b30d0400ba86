package httpapi

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/domain"
)

type mySessionJSON struct {
	ID         string `json:"id"`
	CreatedAt  string `json:"created_at"`
	LastUsedAt string `json:"last_used_at"`
	UserAgent  string `json:"user_agent"`
	IP         string `json:"ip"`
	Current    bool   `json:"current"`
}

func (s *Server) listMySessions(c *fiber.Ctx) error {
	cl := claimsOf(c)
	ss, err := s.UseCases.MySessions.List(c.UserContext(), cl.Subject)
	if err != nil {
		return err
	}
	out := make([]mySessionJSON, len(ss))
	for i, x := range ss {
		out[i] = mySessionJSON{ID: x.ID, CreatedAt: x.CreatedAt.UTC().Format(time.RFC3339),
			LastUsedAt: x.LastUsedAt.UTC().Format(time.RFC3339), UserAgent: x.UserAgent, IP: x.IP,
			Current: x.ID == cl.SessionID}
	}
	return reply(c, fiber.StatusOK, fiber.Map{"sessions": out})
}

func (s *Server) endMySession(c *fiber.Ctx) error {
	id := c.Params("id")
	if !plausibleSessionID(id) {
		return domain.ErrNotFound // never a session id: no need to ask the database
	}
	if err := s.UseCases.MySessions.End(c.UserContext(), claimsOf(c).Subject, strings.Clone(id)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) endMySessions(c *fiber.Ctx) error {
	if err := s.UseCases.MySessions.EndAll(c.UserContext(), claimsOf(c).Subject); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// plausibleSessionID admits what authd makes session ids of (UUIDs), so
// that whatever else a client puts in the path (invalid UTF-8, NUL, a
// megabyte) never reaches the database.
func plausibleSessionID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '-' || ch == '_') {
			return false
		}
	}
	return true
}
