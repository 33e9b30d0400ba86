package httpapi

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"
)

// What the admin API (adapters/adminapi) shares with this one, so that
// both speak the same conventions: one error table, one request id, one
// JSON decoder.

// ErrorHandler is the Fiber ErrorHandler that answers err as problem+json
// through the error table.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler { return errorHandler(log) }

// RequestID is the middleware that echoes or makes X-Request-ID.
func RequestID(c *fiber.Ctx) error { return withRequestID(c) }

// RejectEncodedBodies is the middleware that refuses compressed bodies.
func RejectEncodedBodies(c *fiber.Ctx) error { return rejectEncodedBodies(c) }

// DecodeJSON reads a JSON body into v (invalid_request when it cannot).
func DecodeJSON(c *fiber.Ctx, v any) error { return decode(c, v) }

// ReplyJSON sends v as a JSON body with status.
func ReplyJSON(c *fiber.Ctx, status int, v any) error { return reply(c, status, v) }

// CleanUserAgent makes the client's User-Agent safe to store.
func CleanUserAgent(ua string) string { return cleanUserAgent(ua) }
