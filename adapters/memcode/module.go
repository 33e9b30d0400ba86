package memcode

import (
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module provides one Store as both ports.Codes and ports.RateLimiter.
func Module() fx.Option {
	return fx.Module("memcode",
		fx.Provide(fx.Annotate(New,
			fx.As(new(ports.Codes)),
			fx.As(new(ports.RateLimiter)),
		)),
	)
}

// EndedModule provides the in-process ports.EndedSessions of a single
// instance, remembering an ended session for keep.
func EndedModule(keep time.Duration) fx.Option {
	return fx.Module("memcode.ended",
		fx.Provide(fx.Annotate(func() *EndedSessions { return NewEndedSessions(keep) },
			fx.As(new(ports.EndedSessions)))),
	)
}
