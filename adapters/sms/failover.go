package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Named is one vendor sender under its provider name.
type Named struct {
	Name   string
	Sender ports.SMS
}

// Options configure a Failover. Zero values take the package defaults.
type Options struct {
	Budget          time.Duration
	BreakerFailures int
	BreakerCooldown time.Duration
	Log             ports.SMSLog          // optional
	IDs             ports.IDs             // names messages and attempts; nil is the system generator
	Logger          *slog.Logger          // nil discards
	Registerer      prometheus.Registerer // nil keeps metrics private
	Now             func() time.Time      // the breakers' clock; nil is time.Now

	// metrics, when set, are shared with other Failovers (one per route)
	// instead of registered on Registerer; route labels the breaker gauge.
	metrics *metrics
	route   string
}

// Failover sends through an ordered list of vendors; see the package doc.
type Failover struct {
	vendors []vendor
	route   string // the breaker gauge's route label
	budget  time.Duration
	log     *sendLog
	logger  *slog.Logger
	metrics *metrics
}

type vendor struct {
	name    string
	sender  ports.SMS
	breaker *breaker
}

var _ ports.SMS = (*Failover)(nil)

// NewFailover builds a Failover over senders, tried in the given order.
func NewFailover(senders []Named, opts Options) (*Failover, error) {
	if len(senders) == 0 {
		return nil, errors.New("sms: no senders")
	}
	d := Config{Budget: opts.Budget, BreakerFailures: opts.BreakerFailures, BreakerCooldown: opts.BreakerCooldown}.WithDefaults()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.IDs == nil {
		opts.IDs = system.NewIDs()
	}
	m := opts.metrics
	if m == nil {
		if opts.Registerer == nil {
			opts.Registerer = prometheus.NewRegistry()
		}
		var err error
		if m, err = newMetrics(opts.Registerer); err != nil {
			return nil, fmt.Errorf("sms metrics: %w", err)
		}
	}
	if opts.route == "" {
		opts.route = AnyRegion
	}
	f := &Failover{route: opts.route, budget: d.Budget, log: &sendLog{log: opts.Log, ids: opts.IDs, logger: opts.Logger},
		logger: opts.Logger, metrics: m}
	for _, s := range senders {
		f.vendors = append(f.vendors, vendor{name: s.Name, sender: s.Sender,
			breaker: newBreaker(d.BreakerFailures, d.BreakerCooldown, opts.Now)})
		m.breaker.WithLabelValues(f.route, s.Name).Set(breakerClosed)
	}
	return f, nil
}

// Close releases the vendors' idle connections.
func (f *Failover) Close() {
	for _, v := range f.vendors {
		if c, ok := v.sender.(interface{ Close() }); ok {
			c.Close()
		}
	}
}

// Send tries the vendors in order within the budget. It returns the first
// success; a vendor's verdict on the number (invalid, rejected, limited) as
// is; otherwise an error matching domain.ErrSMSDeliveryFailed.
func (f *Failover) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	if msg.ID == "" {
		msg.ID = f.log.newID()
	}
	caller := ctx
	ctx, cancel := context.WithTimeout(ctx, f.budget)
	defer cancel()
	var errs []error
	var failed string
	for i, v := range f.vendors {
		if ctx.Err() != nil {
			break
		}
		if !v.breaker.allow() {
			f.logger.DebugContext(ctx, "sms provider skipped: circuit open", "provider", v.name, "message_id", msg.ID)
			continue
		}
		if failed != "" {
			f.metrics.failovers.WithLabelValues(failed).Inc()
		}
		res, se := f.attempt(ctx, v, f.share(ctx, i), msg)
		if se == nil {
			f.metrics.breaker.WithLabelValues(f.route, v.name).Set(float64(v.breaker.done(outcomeSuccess)))
			return res, nil
		}
		if se.Kind != ports.SendProviderFailed {
			f.metrics.breaker.WithLabelValues(f.route, v.name).Set(float64(v.breaker.done(outcomeSuccess)))
			return ports.SMSResult{}, se
		}
		o := outcomeFailure
		if caller.Err() != nil {
			o = outcomeNeutral // the caller left; the vendor may be fine
		}
		f.metrics.breaker.WithLabelValues(f.route, v.name).Set(float64(v.breaker.done(o)))
		errs = append(errs, se)
		failed = v.name
	}
	if err := caller.Err(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return ports.SMSResult{}, fmt.Errorf("%w: every provider's circuit is open", domain.ErrSMSDeliveryFailed)
	}
	return ports.SMSResult{}, fmt.Errorf("%w: %w", domain.ErrSMSDeliveryFailed, errors.Join(errs...))
}

// share is the time vendor i may take: an equal part of what is left of the
// budget among the vendors still to try, so a hung vendor never starves the
// next one. The last vendor gets all that is left.
func (f *Failover) share(ctx context.Context, i int) time.Duration {
	deadline, _ := ctx.Deadline()
	left := time.Until(deadline)
	n := 1
	for _, v := range f.vendors[i+1:] {
		if !v.breaker.skipped() {
			n++
		}
	}
	return left / time.Duration(n)
}

// attempt sends through one vendor, records the attempt and counts it.
func (f *Failover) attempt(ctx context.Context, v vendor, limit time.Duration, msg ports.SMSMessage) (ports.SMSResult, *ports.SendError) {
	actx, cancel := context.WithTimeout(ctx, limit)
	start := time.Now()
	res, err := v.sender.Send(actx, msg)
	latency := time.Since(start)
	cancel()

	se := sendError(v.name, err)
	f.metrics.sends.WithLabelValues(v.name, outcomeLabel(se)).Inc()
	f.metrics.latency.WithLabelValues(v.name).Observe(latency.Seconds())
	a := ports.SendAttempt{
		ID: f.log.newID(), MessageID: msg.ID, Provider: v.name, VendorMessageID: res.MessageID,
		Phone: msg.Phone.E164, Purpose: string(msg.Purpose), Status: ports.SendStatusSent,
		Latency: latency, CreatedAt: start,
	}
	if se != nil {
		a.Status, a.VendorCode = ports.SendStatusFailed, se.VendorCode
		f.metrics.failures.WithLabelValues(v.name, se.VendorCode).Inc()
		f.logger.WarnContext(ctx, "sms send failed", "provider", v.name, "vendor_code", se.VendorCode,
			"outcome", outcomeLabel(se), "message_id", msg.ID, "latency", latency, "err", se.Err)
	}
	// The console provider delivers nothing and gets no receipts: its
	// "attempts" are development output, not a vendor record.
	if v.name != ProviderConsole {
		f.log.record(ctx, a)
	}
	return res, se
}

// sendError classifies err; anything but a *ports.SendError counts as a
// provider failure.
func sendError(provider string, err error) *ports.SendError {
	if err == nil {
		return nil
	}
	if se, ok := ports.AsSendError(err); ok {
		return se
	}
	code := "authd.Error"
	if errors.Is(err, context.DeadlineExceeded) {
		code = "authd.Timeout"
	}
	return &ports.SendError{Provider: provider, VendorCode: code, Kind: ports.SendProviderFailed, Err: err}
}
