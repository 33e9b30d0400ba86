package system

import (
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module provides the clock as ports.Clock and the generator as ports.IDs.
func Module() fx.Option {
	return fx.Module("system",
		fx.Provide(
			fx.Annotate(NewClock, fx.As(new(ports.Clock))),
			fx.Annotate(NewIDs, fx.As(new(ports.IDs))),
		),
	)
}
