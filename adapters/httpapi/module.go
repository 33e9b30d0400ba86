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
}

func newFromParams(p params) (*Server, error) {
	return New(p.Cfg, Deps{UseCases: p.UseCases, Tokens: p.Tokens, Ended: p.Ended, Keys: p.Keys, Clock: p.Clock,
		Health: p.Health, Receipts: p.Receipts, Registry: p.Registry, Gatherer: p.Gatherer, Log: p.Log})
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
					s.addr = ln.Addr().String()
					log.Info("authd listening", "addr", s.addr)
					go func() {
						if err := s.Serve(ln); err != nil {
							log.Error("http server stopped", "err", err)
							_ = sh.Shutdown(fx.ExitCode(1))
						}
					}()
					return nil
				},
				OnStop: s.Shutdown,
			})
		}),
	)
}

// Addr is the address the server listens on once started (useful with ":0").
func (s *Server) Addr() string { return s.addr }
