package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/authd/authd/app"
	"github.com/authd/authd/ports"
)

// UseCases are the application's entry points the handlers call. fx fills
// it field by field (fx.In); tests may build it as a plain struct.
type UseCases struct {
	fx.In

	RequestCode     *app.RequestCode
	LoginOrRegister *app.LoginOrRegister
	PasswordLogin   *app.PasswordLogin
	RefreshSession  *app.RefreshSession
	Logout          *app.Logout
	SetPassword     *app.SetPassword
	ResetPassword   *app.ResetPassword
	CheckPhone      *app.CheckPhone
	GetProfile      *app.GetProfile
	UpdateProfile   *app.UpdateProfile
	MySessions      *app.MySessions
}

// KeySet publishes the public keys that verify access tokens.
type KeySet interface {
	JWKS() []byte
}

// Receipts takes vendors' delivery-receipt callbacks.
type Receipts interface {
	// HandleReceipts parses a callback body from provider and applies it;
	// it returns the body the vendor expects in reply.
	HandleReceipts(ctx context.Context, provider string, body []byte) (reply []byte, err error)
}

// Deps is everything the server needs besides its Config.
type Deps struct {
	UseCases UseCases
	Tokens   ports.Tokens
	// Ended refuses access tokens of ended sessions; nil checks nothing
	// (tests that build a Server by hand without sessions).
	Ended    ports.EndedSessions
	Keys     KeySet
	Clock    ports.Clock
	Health   []ports.HealthCheck
	Receipts Receipts // nil: receipt routes answer 404
	Registry prometheus.Registerer
	Gatherer prometheus.Gatherer
	Log      *slog.Logger
	// Console is the console SMS provider's outbox; nil (any real vendor
	// configured alone): /console/messages on the admin listener is 404.
	Console ConsoleMessages
	// AdminRoutes are mounted under /admin/v1 on the admin listener.
	AdminRoutes []AdminRoutes
}

// Server is the Fiber application and what its handlers need.
type Server struct {
	cfg Config
	Deps
	app       *fiber.App
	admin     *fiber.App // the admin listener: metrics, probes, admin API
	ips       clientIPs
	metrics   *metrics
	addr      string // set once listening
	adminAddr string
}

// New builds the server and its routes; it does not listen.
func New(cfg Config, d Deps) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	trusted, _ := parsePrefixes(cfg.TrustedProxies) // validated above
	m, err := newMetrics(d.Registry)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, Deps: d, ips: clientIPs{trusted: trusted}, metrics: m}
	s.app = fiber.New(fiber.Config{
		AppName:               "authd",
		BodyLimit:             cfg.BodyLimit,
		ReadTimeout:           cfg.ReadTimeout,
		WriteTimeout:          cfg.ReadTimeout,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		// Exact routes only: /METRICS or /metrics/ must not reach a handler
		// by another name (and bypass whatever guards the exact path).
		StrictRouting: true,
		CaseSensitive: true,
		// Bodies are JSON only (requireJSONBody): never parse a form.
		DisablePreParseMultipartForm: true,
		ErrorHandler:                 errorHandler(d.Log),
	})
	s.routes()
	s.admin = s.newAdminApp()
	return s, nil
}

// App exposes the Fiber app (for app.Test in tests and route listing).
func (s *Server) App() *fiber.App { return s.app }

// Serve serves on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// ServeAdmin serves the admin listener on ln until Shutdown.
func (s *Server) ServeAdmin(ln net.Listener) error { return s.admin.Listener(ln) }

// Shutdown stops accepting connections on both listeners and waits for
// in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error {
	return errors.Join(s.app.ShutdownWithContext(ctx), s.admin.ShutdownWithContext(ctx))
}

func (s *Server) routes() {
	a := s.app
	a.Use(withRequestID, refuseAmbiguousFraming, withCORS(s.cfg.CORSOrigins), s.withMetrics, rejectEncodedBodies, requireJSONBody, noStorePrivate)
	a.Post("/v1/sms/codes", s.requestCode)
	a.Post("/v1/sessions/sms", s.loginSMS)
	a.Post("/v1/sessions/password", s.loginPassword)
	a.Post("/v1/tokens/refresh", s.refresh)
	a.Post("/v1/sessions/logout", s.logout)
	a.Post("/v1/password/reset", s.resetPassword)
	a.Get("/v1/users/exists", s.userExists)
	me := a.Group("/v1/me", s.requireAuth)
	me.Get("", s.getMe)
	me.Patch("", s.patchMe)
	me.Put("/password", s.putPassword)
	me.Get("/sessions", s.listMySessions)
	me.Delete("/sessions", s.endMySessions)
	me.Delete("/sessions/:id", s.endMySession)
	a.Post("/v1/sms/receipts/:provider<regex(^(tencent|aliyun)$)>", s.receipt)
	a.Get("/.well-known/jwks.json", s.jwks)
	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/openapi.json", s.openapi)
	a.Get("/docs", s.docs)
	a.Get("/docs/redoc.standalone.js", s.docsScript)
}
