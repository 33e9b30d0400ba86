package memcode

import (
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
