package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// params is what fx hands the server.
type params struct {
	fx.In
	Cfg      Config
	UseCases UseCases
	Tokens   ports.Tokens
	Ended    ports.EndedSessions
	Keys     KeySet
	Clock    ports.Clock
	Health   []ports.HealthCheck `group:"health"`
	Receipts Receipts            `optional:"true"`
	Registry prometheus.Registerer
	Gatherer prometheus.Gatherer
	Log      *slog.Logger
	Console  ConsoleMessages `optional:"true"`
	Admin    []AdminRoutes   `group:"admin_routes"`
}

func newFromParams(p params) (*Server, error) {
	return New(p.Cfg, Deps{UseCases: p.UseCases, Tokens: p.Tokens, Ended: p.Ended, Keys: p.Keys, Clock: p.Clock,
		Health: p.Health, Receipts: p.Receipts, Registry: p.Registry, Gatherer: p.Gatherer, Log: p.Log,
		Console: p.Console, AdminRoutes: p.Admin})
}

// Module provides the *Server and serves it for the app's lifetime: it
// listens in OnStart (so a busy port fails the start), serves in a
// goroutine, and in OnStop lets in-flight requests finish.
func Module(cfg Config) fx.Option {
	return fx.Module("httpapi",
		fx.Supply(cfg),
		fx.Provide(newFromParams),
		fx.Invoke(func(lc fx.Lifecycle, s *Server, log *slog.Logger, sh fx.Shutdowner) {
			lc.Append(fx.Hook{
				OnStart: func(context.Context) error {
					ln, err := net.Listen("tcp", s.cfg.Addr)
					if err != nil {
						return fmt.Errorf("AUTHD_HTTP_ADDR %s: %w", s.cfg.Addr, err)
					}
					aln, err := net.Listen("tcp", s.cfg.AdminAddr)
					if err != nil {
						_ = ln.Close()
						return fmt.Errorf("AUTHD_ADMIN_ADDR %s: %w", s.cfg.AdminAddr, err)
					}
					s.addr, s.adminAddr = ln.Addr().String(), aln.Addr().String()
					log.Info("authd listening", "addr", s.addr, "admin_addr", s.adminAddr)
					for _, serve := range []func() error{
						func() error { return s.Serve(ln) },
						func() error { return s.ServeAdmin(aln) },
					} {
						go func() {
							if err := serve(); err != nil {
								log.Error("http server stopped", "err", err)
								_ = sh.Shutdown(fx.ExitCode(1))
							}
						}()
					}
					return nil
				},
				OnStop: s.Shutdown,
			})
		}),
	)
}

// Addr is the address the server listens on once started (useful with ":0").
func (s *Server) Addr() string { return s.addr }

// AsAdminRoutes annotates a constructor so that what it returns joins the
// "admin_routes" group the admin listener mounts under /admin/v1, e.g.
// fx.Provide(httpapi.AsAdminRoutes(adminapi.New)).
func AsAdminRoutes(constructor any) any {
	return fx.Annotate(constructor, fx.As(new(AdminRoutes)), fx.ResultTags(`group:"admin_routes"`))
}
