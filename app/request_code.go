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
	Client  Client
	Captcha CaptchaInput
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
	guard   *SMSGuard // nil: no abuse guard (see WithGuard)
	spend   *SMSSpend // nil: no spend cap (see WithSpend)
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
	adm, err := uc.guard.admit(ctx, phone, in.Client, in.Captcha, now)
	if err != nil {
		return RequestCodeResult{}, err
	}
	// The per-IP budget counts codes issued, not requests: it is checked
	// here and taken only after the store issued one, so a client polling
	// through its cooldown (behind carrier NAT, one of thousands on that
	// address) does not spend everyone's budget.
	ipKey := in.Client.limitKey("ip_code")
	if err := uc.limiter.Check(ctx, ipKey, uc.cfg.ipCodeLimit(), now); err != nil {
		return RequestCodeResult{}, err
	}
	// The expected cost is held before the code is issued, so that a send
	// past the cap costs the client no cooldown. It is held for every
	// request, registered phone or not, so that a reset answer at the cap
	// says nothing about registration either; it is given back on every
	// path that sends nothing.
	held, err := uc.spend.reserve(ctx, phone, now)
	if err != nil {
		return RequestCodeResult{}, err
	}
	sending := false
	defer func() {
		if !sending {
			uc.spend.release(ctx, held)
		}
	}()
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
		var rl *domain.RateLimitedError
		if !errors.As(err, &rl) {
			// A timeout may come after the store ran Issue: withdraw this
			// digest's effects (nothing, if it never ran), or the user would
			// get a 503 and then a 429 for a code never sent.
			uc.giveBack(ctx, key, digest, ports.CancelSend, now)
		}
		return RequestCodeResult{}, fmt.Errorf("issue code: %w", err)
	}
	if err := uc.limiter.Take(ctx, ipKey, uc.cfg.ipCodeLimit(), now); err != nil {
		uc.giveBack(ctx, key, digest, ports.CancelSend, now) // the budget went to a concurrent request
		return RequestCodeResult{}, err
	}
	res := RequestCodeResult{Phone: phone, Purpose: purpose, Policy: uc.cfg.Code}
	if !deliver {
		return res, nil
	}
	if err := uc.guard.sent(ctx, phone, adm, now); err != nil {
		return RequestCodeResult{}, err
	}
	msg := ports.SMSMessage{ID: uc.ids.NewID(), Phone: phone, Purpose: purpose, Code: code, TTL: uc.cfg.Code.TTL}
	if purpose == domain.PurposeResetPassword {
		// A reset answer must not depend on registration, and only a
		// registered phone is texted: the vendor's time, and any vendor
		// error, would tell. So the reset text goes out in the background.
		uc.pending.Add(1)
		sending = true // the goroutine owns the reservation now
		go func() {
			defer uc.pending.Done()
			bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), backgroundSendTimeout)
			defer cancel()
			sent, err := uc.sms.Send(bg, msg)
			if err == nil {
				uc.spend.settle(bg, held, sent)
			} else {
				uc.spend.release(bg, held)
				// Nobody saw this send: withdraw the code and give nothing
				// back, so the cooldown and caps end exactly as for an
				// unknown phone, whose code was issued and never sent.
				if werr := uc.codes.Withdraw(context.WithoutCancel(bg), key, digest, now); werr != nil {
					uc.log.ErrorContext(bg, "withdraw undelivered reset code", "err", werr)
				}
				uc.log.WarnContext(bg, "reset code not delivered", "err", err)
			}
		}()
		return res, nil
	}
	sent, err := uc.send(ctx, key, digest, msg, now)
	if err != nil {
		return RequestCodeResult{}, err
	}
	sending = true
	uc.spend.settle(ctx, held, sent)
	return res, nil
}

// backgroundSendTimeout bounds a reset text sent after the answer.
const backgroundSendTimeout = 30 * time.Second

// send texts the code; if no vendor delivers it, the stored code and the
// cooldown are given back so the client can ask again at once. The send's
// cap usage comes back only when no vendor can have delivered it: after a
// timeout the text may still arrive, and the vendor counts it against its
// own per-number limits, which the caps mirror.
func (uc *RequestCode) send(ctx context.Context, key ports.CodeKey, digest []byte, msg ports.SMSMessage, now time.Time) (ports.SMSResult, error) {
	res, err := uc.sms.Send(ctx, msg)
	if err != nil {
		scope := ports.CancelSend
		if ports.DeliveryUnknown(err) {
			scope = ports.CancelCooldown
		}
		uc.giveBack(ctx, key, digest, scope, now)
		return res, fmt.Errorf("send code: %w", deliveryError(err))
	}
	return res, nil
}

// giveBack cancels an issued code that nobody received, with a context of
// its own: the request's may be the one that ran out.
func (uc *RequestCode) giveBack(ctx context.Context, key ports.CodeKey, digest []byte, scope ports.CancelScope, now time.Time) {
	if err := uc.codes.Cancel(context.WithoutCancel(ctx), key, digest, scope, now); err != nil {
		uc.log.ErrorContext(ctx, "cancel undelivered code", "err", err)
	}
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
