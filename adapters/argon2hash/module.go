package argon2hash

import (
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module supplies cfg and provides the hasher as ports.Passwords.
func Module(cfg Config) fx.Option {
	return fx.Module("argon2hash",
		fx.Supply(cfg),
		fx.Provide(fx.Annotate(New, fx.As(new(ports.Passwords)))),
	)
}
