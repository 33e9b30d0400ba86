package strength

import (
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module supplies cfg and provides the checker as ports.PasswordStrength.
func Module(cfg Config) fx.Option {
	return fx.Module("strength",
		fx.Supply(cfg),
		fx.Provide(fx.Annotate(New, fx.As(new(ports.PasswordStrength)))),
	)
}
