package rediscode

import (
	"context"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module provides one Store as ports.Codes, ports.RateLimiter and a
// ports.HealthCheck in the "health" group, and closes it on stop.
func Module(cfg Config) fx.Option {
	return fx.Module("rediscode",
		fx.Supply(cfg),
		fx.Provide(
			fx.Annotate(New,
				fx.As(fx.Self()),
				fx.As(new(ports.Codes)),
				fx.As(new(ports.RateLimiter)),
				fx.OnStop(func(_ context.Context, s *Store) error { s.Close(); return nil }),
			),
			fx.Annotate(
				func(s *Store) ports.HealthCheck { return s },
				fx.ResultTags(`group:"health"`),
			),
		),
	)
}

// EndedModule provides the shared ports.EndedSessions on Redis, remembering
// an ended session for keep, and closes its client on stop.
func EndedModule(cfg Config, keep time.Duration) fx.Option {
	return fx.Module("rediscode.ended",
		fx.Provide(fx.Annotate(func() (*EndedSessions, error) { return NewEndedSessions(cfg, keep) },
			fx.As(fx.Self()),
			fx.As(new(ports.EndedSessions)),
			fx.OnStop(func(_ context.Context, e *EndedSessions) error { e.Close(); return nil }),
		)),
	)
}
