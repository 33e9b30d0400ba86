package adminapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/domain"
)

// page reads limit and cursor. A cursor is an id from a previous answer:
// anything else is refused rather than compared.
func page(c *fiber.Ctx) (cursor string, limit int, err error) {
	if s := c.Query("limit"); s != "" {
		limit, err = strconv.Atoi(s)
		if err != nil || limit < 1 {
			return "", 0, fmt.Errorf("limit must be a positive integer (at most 200 are returned): %w", domain.ErrInvalidRequest)
		}
	}
	cursor = c.Query("cursor")
	if !validID(cursor) {
		return "", 0, fmt.Errorf("cursor must be a next_cursor from a previous page: %w", domain.ErrInvalidRequest)
	}
	return strings.Clone(cursor), limit, nil
}

// validID accepts ids as authd makes them (UUIDs: hex and dashes).
func validID(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' || b == '-') {
			return false
		}
	}
	return true
}

// since reads an RFC 3339 time; empty is no bound.
func since(c *fiber.Ctx) (time.Time, error) {
	s := c.Query("since")
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("since must be an RFC 3339 time: %w", domain.ErrInvalidRequest)
	}
	return t.UTC(), nil
}

// userID reads the {id} path parameter; an id authd never makes is 404.
func userID(c *fiber.Ctx) (string, error) {
	id := c.Params("id")
	if id == "" || !validID(id) {
		return "", domain.ErrNotFound
	}
	return strings.Clone(id), nil
}
