package httpapi

import (
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/authd/authd/domain"
)

// problem is an RFC 9457 problem details body with authd's stable code.
type problem struct {
	Type       string `json:"type"`
	Title      string `json:"title"`
	Status     int    `json:"status"`
	Code       string `json:"code"`
	Detail     string `json:"detail,omitempty"`
	RequestID  string `json:"request_id"`
	RetryAfter int    `json:"retry_after,omitempty"`
	// CaptchaProvider and CaptchaSiteKey tell a 428 captcha_required
	// client which widget to show.
	CaptchaProvider string `json:"captcha_provider,omitempty"`
	CaptchaSiteKey  string `json:"captcha_site_key,omitempty"`
	// Checks is set by /readyz: which dependency is down.
	Checks map[string]string `json:"checks,omitempty"`
}

// mapping is one row of the error table: a domain error, its status and
// code, and whether err.Error() is safe to show as the detail (our own
// messages are; vendor and driver text never is).
type mapping struct {
	err        error
	status     int
	code       string
	showDetail bool
}

// errorTable is the one place errors become HTTP. Order matters only where
// one error wraps another: the first match wins.
var errorTable = []mapping{
	{domain.ErrInvalidRequest, 400, "invalid_request", true},
	{domain.ErrInvalidPhone, 400, "invalid_phone", false},
	{domain.ErrInvalidUsername, 400, "invalid_username", false},
	{domain.ErrInvalidEmail, 400, "invalid_email", false},
	{domain.ErrInvalidCode, 401, "invalid_code", false},
	{domain.ErrInvalidCredentials, 401, "invalid_credentials", false},
	{domain.ErrInvalidToken, 401, "invalid_token", false},
	{domain.ErrRegionNotAllowed, 403, "region_not_allowed", false},
	{domain.ErrCaptchaFailed, 403, "captcha_failed", false},
	{domain.ErrAccountDisabled, 403, "account_disabled", false},
	{domain.ErrFeatureDisabled, 404, "not_found", false},
	{domain.ErrNotFound, 404, "not_found", false},
	{domain.ErrUsernameTaken, 409, "username_taken", false},
	{domain.ErrEmailTaken, 409, "email_taken", false},
	{domain.ErrPhoneTaken, 409, "phone_taken", false},
	{domain.ErrSMSDeliveryFailed, 502, "sms_delivery_failed", false},
	{domain.ErrUnavailable, 503, "unavailable", false},
}

// fiberCodes names Fiber's own errors (routing, body limit, framing).
var fiberCodes = map[int]string{
	400: "invalid_request",
	404: "not_found",
	405: "method_not_allowed",
	408: "request_timeout",
	413: "request_too_large",
	415: "unsupported_media_type",
	431: "request_too_large",
}

// toProblem classifies err.
func toProblem(err error) problem {
	var rl *domain.RateLimitedError
	if errors.As(err, &rl) {
		return problem{Status: 429, Code: "rate_limited", Detail: "too many requests (" + rl.Limit + ")", RetryAfter: rl.RetryAfterSeconds()}
	}
	var blocked *domain.SMSBlockedError
	if errors.As(err, &blocked) {
		return problem{Status: 429, Code: "sms_blocked", Detail: blocked.Error(), RetryAfter: blocked.RetryAfterSeconds()}
	}
	var need *domain.CaptchaRequiredError
	if errors.As(err, &need) {
		return problem{Status: 428, Code: "captcha_required", Detail: "solve the captcha and send the request again with its token",
			CaptchaProvider: need.Provider, CaptchaSiteKey: need.SiteKey}
	}
	var spent *domain.BudgetExhaustedError
	if errors.As(err, &spent) {
		return problem{Status: 503, Code: "sms_budget_exhausted", Detail: spent.Error(), RetryAfter: spent.RetryAfterSeconds()}
	}
	var weak *domain.WeakPasswordError
	if errors.As(err, &weak) {
		return problem{Status: 400, Code: "weak_password", Detail: weak.Reason}
	}
	for _, m := range errorTable {
		if errors.Is(err, m.err) {
			detail := m.err.Error()
			if m.showDetail {
				detail = err.Error()
			}
			return problem{Status: m.status, Code: m.code, Detail: detail}
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if code, ok := fiberCodes[fe.Code]; ok {
			return problem{Status: fe.Code, Code: code, Detail: fe.Message}
		}
	}
	return problem{Status: 500, Code: "internal", Detail: "internal error"}
}

// errorHandler is Fiber's ErrorHandler: handlers just return err.
func errorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := toProblem(err)
		if p.Status >= 500 && p.Code != "sms_delivery_failed" {
			log.ErrorContext(c.UserContext(), "request failed", "route", c.Route().Path, "code", p.Code, "err", err)
		}
		return writeProblem(c, p)
	}
}

func writeProblem(c *fiber.Ctx, p problem) error {
	p.Type = "urn:authd:problem:" + p.Code
	p.Title = statusTitle(p.Status)
	p.RequestID = requestID(c)
	if p.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
	}
	if p.Code == "invalid_token" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
	}
	c.Status(p.Status)
	return writeJSON(c, "application/problem+json", p)
}

func statusTitle(status int) string {
	if t := utils.StatusMessage(status); t != "" {
		return t
	}
	return "Error"
}
