package phonenum

import (
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module supplies cfg and provides the parser as ports.PhoneParser.
func Module(cfg Config) fx.Option {
	return fx.Module("phonenum",
		fx.Supply(cfg),
		fx.Provide(fx.Annotate(New, fx.As(new(ports.PhoneParser)))),
	)
}
