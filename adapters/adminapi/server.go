package adminapi

import (
	"log/slog"
	"mime"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
)

// Prefix is where the admin listener mounts the API.
const Prefix = "/admin/v1"

// Deps are the use cases the handlers call.
type Deps struct {
	Keys       *app.AdminKeys
	Users      *app.AdminUsers
	Logs       *app.AdminLogs
	Introspect *app.Introspect
	Log        *slog.Logger
}

// API is the admin API's handlers.
type API struct{ Deps }

// New builds the API.
func New(d Deps) *API {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &API{Deps: d}
}

const localAdmin = "authd.admin"

// Register adds the routes to r, which the caller has put at Prefix. The
// group answers its own errors, so it keeps the conventions whatever error
// handler the host app has.
func (a *API) Register(r fiber.Router) {
	handle := httpapi.ErrorHandler(a.Log)
	r.Use(func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderPragma, "no-cache")
		if err := c.Next(); err != nil {
			return handle(c, err)
		}
		return nil
	}, httpapi.RequestID, httpapi.RejectEncodedBodies)
	r.Get("/openapi.json", a.openapi)
	r.Use(a.requireKey)
	r.Get("/users", a.searchUsers)
	r.Post("/users", requireJSON, a.createUser)
	r.Get("/users/:id", a.getUser)
	r.Patch("/users/:id", requireJSON, a.updateUser)
	r.Delete("/users/:id", a.deleteUser)
	r.Get("/users/:id/sessions", a.listSessions)
	r.Delete("/users/:id/sessions", a.endSessions)
	r.Get("/events", a.listEvents)
	r.Get("/sms/attempts", a.listAttempts)
	r.Post("/tokens/introspect", a.introspect)
}

// App is a standalone Fiber app serving the API under Prefix (tests, and a
// host that prefers Mount to Register).
func (a *API) App() *fiber.App {
	f := fiber.New(fiber.Config{
		AppName:               "authd-admin",
		BodyLimit:             64 << 10,
		ReadTimeout:           10 * time.Second,
		WriteTimeout:          10 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          httpapi.ErrorHandler(a.Log),
	})
	a.Register(f.Group(Prefix))
	return f
}

// requireKey authenticates the admin key and keeps who is calling.
func (a *API) requireKey(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return domain.ErrInvalidToken
	}
	k, err := a.Keys.Authenticate(c.UserContext(), strings.Clone(strings.TrimSpace(h[len(prefix):])))
	if err != nil {
		return err
	}
	c.Locals(localAdmin, app.Admin{Actor: k.Actor(),
		Client: app.Client{IP: strings.Clone(c.IP()), UserAgent: httpapi.CleanUserAgent(c.Get(fiber.HeaderUserAgent))}})
	return c.Next()
}

func adminOf(c *fiber.Ctx) app.Admin {
	a, _ := c.Locals(localAdmin).(app.Admin)
	return a
}

// requireJSON: a body must be declared JSON (API.md conventions), so a web
// page cannot send a "simple" cross-site request.
func requireJSON(c *fiber.Ctx) error {
	if mediaType(c) != fiber.MIMEApplicationJSON {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Content-Type must be application/json")
	}
	return c.Next()
}

func mediaType(c *fiber.Ctx) string {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil {
		return ""
	}
	return strings.ToLower(mt)
}

// MountAdmin implements httpapi.AdminRoutes: the admin listener hands over
// its /admin/v1 group.
func (a *API) MountAdmin(r fiber.Router) { a.Register(r) }
