package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// RequestCodeInput is a client's request for a one-time code.
type RequestCodeInput struct {
	Phone   string
	Purpose string
	Locale  string // BCP 47 language for the text; malformed or empty: the default
	Client  Client
}

// RequestCodeResult tells the client what was sent and when it may ask again.
type RequestCodeResult struct {
	Phone   domain.Phone
	Purpose domain.Purpose
	Policy  domain.CodePolicy
}

// RequestCode sends a one-time code by SMS.
type RequestCode struct {
	pending sync.WaitGroup // reset codes being sent in the background
	cfg     Config
	phones  ports.PhoneParser
	users   ports.Users
	codes   ports.Codes
	limiter ports.RateLimiter
	sms     ports.SMS
	ids     ports.IDs
	clock   ports.Clock
	log     *slog.Logger
}

// NewRequestCode builds the use case.
func NewRequestCode(cfg Config, phones ports.PhoneParser, users ports.Users, codes ports.Codes,
	limiter ports.RateLimiter, sms ports.SMS, ids ports.IDs, clock ports.Clock, log *slog.Logger) *RequestCode {
	return &RequestCode{cfg: cfg, phones: phones, users: users, codes: codes, limiter: limiter,
		sms: sms, ids: ids, clock: clock, log: log}
}

// Handle validates the request, applies the limits, stores the code's digest
// and sends the code. If no vendor delivers it, the stored code and the
// cooldown are given back so the client can retry at once.
func (uc *RequestCode) Handle(ctx context.Context, in RequestCodeInput) (RequestCodeResult, error) {
	purpose, err := domain.ParsePurpose(in.Purpose)
	if err != nil {
		return RequestCodeResult{}, fmt.Errorf("purpose %q: %w", in.Purpose, err)
	}
	phone, err := uc.phones.Parse(in.Phone)
	if err != nil {
		return RequestCodeResult{}, err
	}
	if !uc.cfg.Regions.Allows(phone) {
		return RequestCodeResult{}, domain.ErrRegionNotAllowed
	}
	now := uc.clock.Now()
	if err := uc.limiter.Take(ctx, in.Client.limitKey("ip_code"), uc.cfg.ipCodeLimit(), now); err != nil {
		return RequestCodeResult{}, err
	}
	// A reset code goes only to a registered phone, but the answer (and the
	// cooldown) is the same either way so the endpoint reveals nothing.
	deliver := true
	if purpose == domain.PurposeResetPassword {
		if _, err := uc.users.ByPhone(ctx, phone.E164); errors.Is(err, domain.ErrNotFound) {
			deliver = false
		} else if err != nil {
			return RequestCodeResult{}, fmt.Errorf("look up phone: %w", err)
		}
	}
	code, err := domain.NewCode(uc.cfg.Code.Length)
	if err != nil {
		return RequestCodeResult{}, fmt.Errorf("generate code: %w", err)
	}
	key := ports.CodeKey{Phone: phone.E164, Purpose: purpose}
	digest := codeDigest(uc.cfg.CodeSecret, key, code)
	if err := uc.codes.Issue(ctx, ports.IssueCode{Key: key, Digest: digest, Policy: uc.cfg.Code, Now: now}); err != nil {
		return RequestCodeResult{}, fmt.Errorf("issue code: %w", err)
	}
	res := RequestCodeResult{Phone: phone, Purpose: purpose, Policy: uc.cfg.Code}
	if !deliver {
		return res, nil
	}
	msg := ports.SMSMessage{ID: uc.ids.NewID(), Phone: phone, Purpose: purpose, Code: code, TTL: uc.cfg.Code.TTL,
		Locale: cleanLocale(in.Locale)}
	if purpose == domain.PurposeResetPassword {
		// A reset answer must not depend on registration, and only a
		// registered phone is texted: the vendor's time, and any vendor
		// error, would tell. So the reset text goes out in the background.
		uc.pending.Add(1)
		go func() {
			defer uc.pending.Done()
			bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), backgroundSendTimeout)
			defer cancel()
			if err := uc.send(bg, key, digest, msg, now); err != nil {
				uc.log.WarnContext(bg, "reset code not delivered", "err", err)
			}
		}()
		return res, nil
	}
	if err := uc.send(ctx, key, digest, msg, now); err != nil {
		return RequestCodeResult{}, err
	}
	return res, nil
}

// backgroundSendTimeout bounds a reset text sent after the answer.
const backgroundSendTimeout = 30 * time.Second

// send texts the code; if no vendor delivers it, the stored code and the
// cooldown are given back so the client can ask again at once.
func (uc *RequestCode) send(ctx context.Context, key ports.CodeKey, digest []byte, msg ports.SMSMessage, now time.Time) error {
	if _, err := uc.sms.Send(ctx, msg); err != nil {
		// Cancel with a context of its own: the request's may be the one
		// that ran out, and a code nobody received must not linger.
		if cerr := uc.codes.Cancel(context.WithoutCancel(ctx), key, digest, now); cerr != nil {
			uc.log.ErrorContext(ctx, "cancel undelivered code", "err", cerr)
		}
		return fmt.Errorf("send code: %w", deliveryError(err))
	}
	return nil
}

// Wait returns when the reset texts sent in the background are done, or
// when ctx ends (shutdown waits for them; so do tests).
func (uc *RequestCode) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { uc.pending.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// deliveryError keeps the outcomes a client can act on (bad number, vendor
// rate limit) and reports anything else as a failed delivery.
func deliveryError(err error) error {
	var rl *domain.RateLimitedError
	if errors.Is(err, domain.ErrInvalidPhone) || errors.Is(err, domain.ErrSMSDeliveryFailed) || errors.As(err, &rl) {
		return err
	}
	return fmt.Errorf("%w: %w", domain.ErrSMSDeliveryFailed, err)
}

// cleanLocale keeps a plausible BCP 47 tag (letters, digits and hyphens, at
// most 35 characters) and drops anything else: a language choice is a
// preference, never a reason to refuse a code.
func cleanLocale(s string) string {
	if len(s) > 35 {
		return ""
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return ""
		}
	}
	return s
}
