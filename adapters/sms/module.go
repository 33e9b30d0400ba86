package sms

import (
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/adapters/sms/httphook"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/adapters/sms/twilio"
	"github.com/authd/authd/ports"
)

// Build validates cfg, builds every vendor some route names (once, shared
// by the routes) and returns the Router over one Failover per route. This
// is the one place where configuration chooses the vendors. env gives the
// send log, ids, logger and registerer (each optional); cfg's budget and
// breaker settings win over env's.
func Build(cfg Config, env Options) (*Router, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	routes, err := cfg.routes()
	if err != nil {
		return nil, err
	}
	if env.Registerer == nil {
		env.Registerer = prometheus.NewRegistry()
	}
	if env.metrics, err = newMetrics(env.Registerer); err != nil {
		return nil, fmt.Errorf("sms metrics: %w", err)
	}
	env.Budget, env.BreakerFailures, env.BreakerCooldown = cfg.Budget, cfg.BreakerFailures, cfg.BreakerCooldown
	r := &Router{byRegion: map[string]*Failover{}, names: map[*Failover]string{}}
	built := map[string]ports.SMS{}
	for _, name := range cfg.ProviderNames() {
		s, err := newSender(cfg, name)
		if err != nil {
			r.Close()
			return nil, err
		}
		built[name] = s
		r.senders = append(r.senders, s)
	}
	for _, route := range routes {
		senders := make([]Named, 0, len(route.Providers))
		for _, name := range route.Providers {
			senders = append(senders, Named{Name: name, Sender: built[name]})
		}
		env.route = route.Name()
		f, err := NewFailover(senders, env)
		if err != nil {
			r.Close()
			return nil, err
		}
		r.names[f] = route.Name()
		for _, reg := range route.Regions {
			if reg == AnyRegion {
				r.any = f
			} else {
				r.byRegion[reg] = f
			}
		}
	}
	return r, nil
}

func newSender(cfg Config, name string) (ports.SMS, error) {
	cfg.Console.Text, cfg.Twilio.Text, cfg.HTTP.Text = cfg.Text, cfg.Text, cfg.Text
	switch name {
	case ProviderConsole:
		return console.New(cfg.Console), nil
	case ProviderTencent:
		return tencent.New(cfg.Tencent)
	case ProviderAliyun:
		return aliyun.New(cfg.Aliyun)
	case ProviderTwilio:
		return twilio.New(cfg.Twilio)
	case ProviderHTTP:
		return httphook.New(cfg.HTTP)
	}
	return nil, fmt.Errorf("sms: unknown provider %q", name) // Validate already refused it
}

// deps are what the module takes from the graph; the send log is optional.
type deps struct {
	fx.In
	Lifecycle  fx.Lifecycle
	Log        ports.SMSLog `optional:"true"`
	IDs        ports.IDs    `optional:"true"`
	Logger     *slog.Logger
	Registerer prometheus.Registerer
}

// newForFx builds the Router and closes it on stop. The hook is appended
// here rather than with fx.OnStop: fx v1.24 panics when an fx.OnStop
// annotation meets a constructor taking an fx.In struct.
func newForFx(cfg Config, d deps) (*Router, error) {
	f, err := Build(cfg, Options{Log: d.Log, IDs: d.IDs, Logger: d.Logger, Registerer: d.Registerer})
	if err != nil {
		return nil, err
	}
	d.Lifecycle.Append(fx.StopHook(f.Close))
	return f, nil
}

func newReceiptsForFx(d deps) (*Receipts, error) { return NewReceipts(d.Log, d.Registerer) }

// Module provides *Router, also as ports.SMS, built from cfg, and the
// *Receipts that apply delivery receipts. It needs a *slog.Logger and a
// prometheus.Registerer, and uses a ports.SMSLog and ports.IDs when
// provided.
func Module(cfg Config) fx.Option {
	return fx.Module("sms",
		fx.Supply(cfg),
		fx.Provide(fx.Annotate(newForFx, fx.As(fx.Self()), fx.As(new(ports.SMS))), newReceiptsForFx),
	)
}
