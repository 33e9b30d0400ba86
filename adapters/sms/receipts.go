package sms

import (
	"context"
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/adapters/sms/twilio"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ReceiptFormat is how one vendor's receipt callbacks read and what they
// want in answer. Each vendor package owns its format.
type ReceiptFormat struct {
	Parse  func(body []byte) ([]ports.DeliveryReceipt, error)
	Answer []byte
}

// receiptFormats are the vendors that send receipt callbacks.
func receiptFormats() map[string]ReceiptFormat {
	return map[string]ReceiptFormat{
		ProviderTencent: {Parse: tencent.ParseReceipts, Answer: []byte(tencent.ReceiptAnswer)},
		ProviderAliyun:  {Parse: aliyun.ParseReceipts, Answer: []byte(aliyun.ReceiptAnswer)},
		ProviderTwilio:  {Parse: twilio.ParseReceipts, Answer: []byte(twilio.ReceiptAnswer)},
	}
}

// Receipts applies the vendors' delivery receipts to the send log; sending
// and failing over are Failover's business, not this type's.
type Receipts struct {
	log     ports.SMSLog // nil: receipts are parsed and counted only
	formats map[string]ReceiptFormat
	counter *prometheus.CounterVec
}

// NewReceipts registers the receipt counter on reg (nil keeps it private).
// log may be nil.
func NewReceipts(log ports.SMSLog, reg prometheus.Registerer) (*Receipts, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "authd_sms_receipts_total", Help: "Delivery receipts by provider and status (delivered, undelivered, unmatched).",
	}, []string{"provider", "status"})
	if err := reg.Register(c); err != nil {
		return nil, fmt.Errorf("sms receipt metrics: %w", err)
	}
	return &Receipts{log: log, formats: receiptFormats(), counter: c}, nil
}

// HandleReceipts takes one delivery-receipt callback body from provider,
// applies it to the send log and returns the body that vendor expects in
// reply. A malformed body is domain.ErrInvalidRequest; a send log that
// cannot be written is domain.ErrUnavailable, so the vendor retries later.
func (r *Receipts) HandleReceipts(ctx context.Context, provider string, body []byte) ([]byte, error) {
	f, ok := r.formats[provider]
	if !ok {
		return nil, fmt.Errorf("receipts from %q: %w", provider, domain.ErrNotFound)
	}
	receipts, err := f.Parse(body)
	if err != nil {
		return nil, err
	}
	if _, err := r.ApplyReceipts(ctx, receipts); err != nil {
		return nil, domain.Unavailable("sms log", err)
	}
	return f.Answer, nil
}

// ApplyReceipts applies receipts to the send log and counts them. It tries
// every receipt and returns how many matched a logged attempt and the
// errors of the log, if any (answer the vendor with a failure then, so it
// retries).
func (r *Receipts) ApplyReceipts(ctx context.Context, receipts []ports.DeliveryReceipt) (matched int, err error) {
	var errs []error
	for _, rc := range receipts {
		status := ports.SendStatusUndelivered
		if rc.Delivered {
			status = ports.SendStatusDelivered
		}
		if r.log != nil {
			found, lerr := r.log.ApplyReceipt(ctx, rc)
			if lerr != nil {
				errs = append(errs, lerr)
				continue
			}
			if found {
				matched++
			} else {
				status = "unmatched"
			}
		}
		r.counter.WithLabelValues(rc.Provider, status).Inc()
	}
	return matched, errors.Join(errs...)
}
