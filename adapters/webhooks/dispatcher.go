package webhooks

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Dispatcher delivers the outbox's events to the receivers.
type Dispatcher struct {
	cfg     Config
	outbox  ports.WebhookOutbox
	clock   ports.Clock
	log     *slog.Logger
	signer  *standardwebhooks.Webhook
	client  *http.Client
	metrics *metrics
	owner   string // this dispatcher's lease name
	lease   time.Duration

	statsAt time.Time
}

// New builds a dispatcher; reg may be nil (no metrics exported).
func New(cfg Config, outbox ports.WebhookOutbox, clock ports.Clock, log *slog.Logger, reg prometheus.Registerer) (*Dispatcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	key, _ := secretKey(cfg.Secret) // validated
	signer, err := standardwebhooks.NewWebhookRaw(key)
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	// The lease outlives one event's worst case: every receiver timing out.
	lease := max(time.Minute, 2*cfg.Timeout*time.Duration(len(cfg.URLs)))
	return &Dispatcher{cfg: cfg, outbox: outbox, clock: clock, log: log, signer: signer, metrics: m,
		owner: hex.EncodeToString(b[:]), lease: lease,
		client: &http.Client{Timeout: cfg.Timeout,
			// A redirect is a misconfigured receiver: following it would
			// turn the POST into a GET and drop the body.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}, nil
}

// Run delivers until ctx ends, polling when nothing is due. Deliveries in
// flight when ctx ends finish (bounded by the request timeout).
func (d *Dispatcher) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.WarnContext(ctx, "webhooks: claim failed", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(d.cfg.PollInterval):
			}
		}
	}
}

// RunOnce claims one batch, delivers it and says how many events it took.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	d.refreshStats(ctx)
	evs, err := d.outbox.ClaimWebhookEvents(ctx, d.owner, d.clock.Now(), d.lease, d.cfg.Batch)
	if err != nil {
		return 0, err
	}
	// Each claimed event is its user's oldest pending one, so the batch
	// can go out in parallel without reordering anyone's events.
	var wg sync.WaitGroup
	for _, e := range evs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.deliver(context.WithoutCancel(ctx), e)
		}()
	}
	wg.Wait()
	return len(evs), nil
}

// deliver posts e to every receiver that has not accepted it and settles.
func (d *Dispatcher) deliver(ctx context.Context, e ports.OutboxEvent) {
	body, err := payload(e.Event)
	if err != nil {
		d.settle(ctx, e, ports.WebhookSettlement{Status: ports.WebhookDead, Error: err.Error()})
		return
	}
	done := slices.Clone(e.Done)
	var errs []error
	for _, u := range d.cfg.URLs {
		k := receiverKey(u)
		if slices.Contains(done, k) {
			continue
		}
		if err := d.post(ctx, u, e.ID, body); err != nil {
			errs = append(errs, err)
			continue
		}
		done = append(done, k)
	}
	if len(errs) == 0 {
		d.metrics.delivered.Inc()
		d.settle(ctx, e, ports.WebhookSettlement{Status: ports.WebhookDelivered, Done: done})
		return
	}
	d.metrics.failed.Inc()
	st := ports.WebhookSettlement{Status: ports.WebhookPending, Done: done, Error: errors.Join(errs...).Error()}
	now := d.clock.Now()
	st.NextAt = now.Add(d.backoff(e.Attempts))
	if st.NextAt.After(e.RetryFrom.Add(d.cfg.RetryFor)) {
		st.Status, st.NextAt = ports.WebhookDead, time.Time{}
		d.log.WarnContext(ctx, "webhooks: event dead after its retry window", "event_id", e.ID, "type", e.Type, "err", st.Error)
	}
	d.settle(ctx, e, st)
}

func (d *Dispatcher) settle(ctx context.Context, e ports.OutboxEvent, st ports.WebhookSettlement) {
	if err := d.outbox.SettleWebhookEvent(ctx, e.ID, st); err != nil {
		// The lease ends by itself and the event is tried again: at least once.
		d.log.WarnContext(ctx, "webhooks: settle failed", "event_id", e.ID, "err", err)
	}
}

// backoff doubles from RetryBase per attempt, capped at RetryMax.
func (d *Dispatcher) backoff(attempts int) time.Duration {
	b := d.cfg.RetryBase
	for range attempts {
		if b >= d.cfg.RetryMax/2 {
			return d.cfg.RetryMax
		}
		b *= 2
	}
	return min(b, d.cfg.RetryMax)
}

// post sends one signed request; anything but a 2xx is an error.
func (d *Dispatcher) post(ctx context.Context, url, id string, body []byte) error {
	now := d.clock.Now()
	sig, err := d.signature(id, now, body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "authd-webhooks")
	req.Header.Set(standardwebhooks.HeaderWebhookID, id)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)
	resp, err := d.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", receiverKey(url), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s: status %d", receiverKey(url), resp.StatusCode)
	}
	return nil
}

// signature is the webhook-signature header: "v1," + base64 of
// HMAC-SHA256(key, id + "." + unix seconds + "." + body).
func (d *Dispatcher) signature(id string, at time.Time, body []byte) (string, error) {
	return d.signer.Sign(id, at, body)
}

// receiverKey names a receiver in the stored state and in errors without
// its URL, which may carry a token.
func receiverKey(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:6])
}

// payload is the Standard Webhooks body: type, timestamp, and data with
// the user id and the event's details (which never hold a secret).
func payload(e domain.Event) ([]byte, error) {
	data := make(map[string]any, len(e.Details)+2)
	for k, v := range e.Details {
		data[k] = v
	}
	if e.UserID != "" {
		data["user_id"] = e.UserID
	}
	if e.Actor != "" {
		data["actor"] = e.Actor
	}
	return json.Marshal(struct {
		Type      string         `json:"type"`
		Timestamp string         `json:"timestamp"`
		Data      map[string]any `json:"data"`
	}{string(e.Type), e.At.UTC().Format(time.RFC3339Nano), data})
}

// refreshStats updates the outbox gauges at most every 10 seconds.
func (d *Dispatcher) refreshStats(ctx context.Context) {
	now := d.clock.Now()
	if now.Sub(d.statsAt) < 10*time.Second {
		return
	}
	d.statsAt = now
	st, err := d.outbox.WebhookStats(ctx)
	if err != nil {
		return
	}
	d.metrics.pending.Set(float64(st.Pending))
	d.metrics.dead.Set(float64(st.Dead))
	age := 0.0
	if !st.OldestPending.IsZero() {
		age = now.Sub(st.OldestPending).Seconds()
	}
	d.metrics.oldestAge.Set(age)
}
