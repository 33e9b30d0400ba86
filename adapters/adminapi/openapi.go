package adminapi

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

//go:embed openapi.json
var openapiDoc []byte

// OpenAPI returns the admin API's OpenAPI 3 document.
func OpenAPI() []byte { return openapiDoc }

func (a *API) openapi(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openapiDoc)
}
