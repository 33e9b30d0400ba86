package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/domain"
)

// decode reads a JSON body into v. Unknown fields are ignored; malformed
// JSON, wrong types or a missing body are invalid_request.
func decode(c *fiber.Ctx, v any) error {
	// The raw bytes: c.Body() would inflate a Content-Encoding without any
	// bound, past the 64 KiB limit (rejectEncodedBodies refuses those).
	body := c.Request().Body()
	if len(body) == 0 {
		return fmt.Errorf("a JSON body is required: %w", domain.ErrInvalidRequest)
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fmt.Errorf("field %q must be %s: %w", te.Field, te.Type, domain.ErrInvalidRequest)
		}
		if te != nil {
			return fmt.Errorf("the body must be a JSON object: %w", domain.ErrInvalidRequest)
		}
		return fmt.Errorf("malformed JSON: %w", domain.ErrInvalidRequest)
	}
	return nil
}

// writeJSON encodes v with the given content type.
func writeJSON(c *fiber.Ctx, contentType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, contentType)
	return c.Send(b)
}

// reply sends a JSON success body.
func reply(c *fiber.Ctx, status int, v any) error {
	c.Status(status)
	return writeJSON(c, fiber.MIMEApplicationJSON, v)
}
