package bunstore

import (
	"context"
	"log/slog"

	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module provides the store as ports.Users, ports.RefreshTokens,
// ports.SMSLog, ports.SigningKeys and, in the value group "health", as ports.HealthCheck. At
// start an embedded SQLite database migrates itself; a Postgres database is
// only checked and the start fails when its schema is behind (migrations
// there are an operator's step: "authd migrate"). While it runs, expired
// and revoked refresh tokens are pruned in the background (prune.go).
func Module(cfg Config) fx.Option {
	return fx.Module("bunstore",
		fx.Supply(cfg),
		fx.Provide(
			fx.Annotate(newStore,
				fx.As(fx.Self()),
				fx.As(new(ports.Users)),
				fx.As(new(ports.RefreshTokens)),
				fx.As(new(ports.Logins)),
				fx.As(new(ports.Sessions)),
				fx.As(new(ports.SMSLog)),
				fx.As(new(ports.SigningKeys)),
				fx.OnStart(func(ctx context.Context, s *Store) error { return s.startCheck(ctx) }),
				fx.OnStop(func(_ context.Context, s *Store) error { return s.Close() }),
			),
			fx.Annotate(func(s *Store) ports.HealthCheck { return s }, fx.ResultTags(`group:"health"`)),
		),
		// Every instance prunes refresh_tokens in the background; started
		// after the store's schema check, stopped before it closes.
		fx.Invoke(func(lc fx.Lifecycle, s *Store) {
			p := &pruner{store: s, interval: pruneInterval}
			lc.Append(fx.StartStopHook(p.start, p.stop))
		}),
	)
}

// newStore adapts Open to fx, which has no context at construction; Open
// does no I/O apart from creating the SQLite directory.
func newStore(cfg Config, logger *slog.Logger) (*Store, error) {
	return Open(context.Background(), cfg, logger)
}

func (s *Store) startCheck(ctx context.Context) error {
	if s.dialect == SQLite {
		return s.Migrate(ctx)
	}
	return s.CheckSchema(ctx)
}
