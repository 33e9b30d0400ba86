package jwttokens

import (
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module supplies cfg and provides *Tokens as ports.Tokens and as itself
// (the HTTP adapter serves its JWKS).
func Module(cfg Config) fx.Option {
	return fx.Module("jwttokens",
		fx.Supply(cfg),
		fx.Provide(fx.Annotate(New, fx.As(fx.Self()), fx.As(new(ports.Tokens)))),
	)
}
