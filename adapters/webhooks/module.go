package webhooks

import (
	"context"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

// Module runs a dispatcher for the app's lifetime when receivers are
// configured, and nothing otherwise. OnStart starts it in a goroutine; OnStop
// lets deliveries in flight finish.
func Module(cfg Config) fx.Option {
	if !cfg.Enabled() {
		return fx.Module("webhooks")
	}
	return fx.Module("webhooks",
		fx.Supply(cfg),
		fx.Provide(func(cfg Config, o ports.WebhookOutbox, c ports.Clock, log *slog.Logger, reg prometheus.Registerer) (*Dispatcher, error) {
			return New(cfg, o, c, log, reg)
		}),
		fx.Invoke(func(lc fx.Lifecycle, d *Dispatcher) {
			ctx, cancel := context.WithCancel(context.Background())
			stopped := make(chan struct{})
			lc.Append(fx.Hook{
				OnStart: func(context.Context) error {
					go func() { defer close(stopped); d.Run(ctx) }()
					return nil
				},
				OnStop: func(stop context.Context) error {
					cancel()
					select {
					case <-stopped:
					case <-stop.Done():
					}
					return nil
				},
			})
		}),
	)
}
