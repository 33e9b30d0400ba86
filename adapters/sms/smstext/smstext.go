// Package smstext renders the free text that providers without vendor
// templates send (twilio, http, console): a text per purpose and locale,
// {code} and {minutes} filled in, with optional WebOTP and Android SMS
// Retriever lines.
package smstext

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Config chooses the texts. The zero value renders the English defaults.
type Config struct {
	// Texts maps "purpose.locale" (e.g. "login.zh-CN") to a text with
	// {code} and {minutes} (AUTHD_SMS_TEXTS).
	Texts map[string]string
	// RegionLocales is each destination region's default locale, e.g.
	// CN -> zh-CN (AUTHD_SMS_REGION_LOCALES).
	RegionLocales map[string]string
	// WebOTPDomain adds the "@domain #code" last line browsers read
	// (AUTHD_SMS_WEBOTP_DOMAIN).
	WebOTPDomain string
	// AndroidAppHash is the 11-character app hash Android's SMS Retriever
	// looks for (AUTHD_SMS_ANDROID_APP_HASH).
	AndroidAppHash string
}

// defaults are the built-in English texts.
func defaults() map[domain.Purpose]string {
	return map[domain.Purpose]string{
		domain.PurposeLogin:           "Your login code is {code}. It expires in {minutes} minutes.",
		domain.PurposeResetPassword:   "Your password reset code is {code}. It expires in {minutes} minutes.",
		domain.PurposeInitialPassword: "Your password is {code}. Change it after you log in.",
	}
}

// Parse reads AUTHD_SMS_TEXTS: "purpose.locale=text" entries separated by
// newlines or ";" (use the full-width "；" inside a text).
func Parse(spec string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range strings.FieldsFunc(spec, func(r rune) bool { return r == '\n' || r == ';' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, text, ok := strings.Cut(item, "=")
		purpose, locale, ok2 := strings.Cut(strings.TrimSpace(key), ".")
		if !ok || !ok2 || locale == "" || strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("entry %q: want purpose.locale=text", item)
		}
		if _, err := domain.ParsePurpose(purpose); purpose == "" || err != nil && purpose != string(domain.PurposeInitialPassword) {
			return nil, fmt.Errorf("entry %q: unknown purpose %q", item, purpose)
		}
		if !strings.Contains(text, "{code}") {
			return nil, fmt.Errorf("entry %q: the text has no {code}", item)
		}
		out[purpose+"."+strings.ToLower(locale)] = strings.TrimSpace(text)
	}
	return out, nil
}

// ParseRegionLocales reads AUTHD_SMS_REGION_LOCALES: "CN=zh-CN;HK,MO=zh-HK".
func ParseRegionLocales(spec string) (map[string]string, error) {
	out := map[string]string{}
	for item := range strings.SplitSeq(spec, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		regions, locale, ok := strings.Cut(item, "=")
		if !ok || strings.TrimSpace(locale) == "" {
			return nil, fmt.Errorf("entry %q: want REGIONS=locale", item)
		}
		for r := range strings.SplitSeq(regions, ",") {
			out[strings.ToUpper(strings.TrimSpace(r))] = strings.TrimSpace(locale)
		}
	}
	return out, nil
}

// Validate checks the formatting options.
func (c Config) Validate() error {
	if c.AndroidAppHash != "" && len(c.AndroidAppHash) != 11 {
		return fmt.Errorf("the Android app hash has 11 characters, got %d", len(c.AndroidAppHash))
	}
	if strings.ContainsAny(c.WebOTPDomain, " /#@:") {
		return fmt.Errorf("the WebOTP domain is a bare host name, got %q", c.WebOTPDomain)
	}
	return nil
}

// Locales are the locales tried for msg, best first: the request's, then
// the destination region's default, each also as its bare language, then
// "en".
func (c Config) Locales(msg ports.SMSMessage) []string {
	var out []string
	add := func(l string) {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" {
			return
		}
		for _, have := range out {
			if have == l {
				return
			}
		}
		out = append(out, l)
	}
	for _, l := range []string{msg.Locale, c.RegionLocales[strings.ToUpper(msg.Phone.Region)]} {
		add(l)
		if lang, _, ok := strings.Cut(l, "-"); ok {
			add(lang)
		}
	}
	add("en")
	return out
}

// Render is the text for msg.
func (c Config) Render(msg ports.SMSMessage) string {
	text := ""
	for _, l := range c.Locales(msg) {
		if t, ok := c.Texts[string(msg.Purpose)+"."+l]; ok {
			text = t
			break
		}
	}
	if text == "" {
		text = defaults()[msg.Purpose]
	}
	if text == "" {
		text = "Your verification code is {code}."
	}
	text = strings.NewReplacer("{code}", msg.Code, "{minutes}", Minutes(msg.TTL)).Replace(text)
	if msg.Purpose == domain.PurposeInitialPassword {
		return text // a password is not a one-time code: no autofill lines
	}
	// The app hash sits on its own line before the WebOTP line, which the
	// WebOTP format requires to be last.
	if c.AndroidAppHash != "" {
		text += "\n\n" + c.AndroidAppHash
	}
	if c.WebOTPDomain != "" {
		text += "\n\n@" + c.WebOTPDomain + " #" + msg.Code
	}
	return text
}

// Minutes rounds up so the text never promises less time than the code has.
func Minutes(ttl time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(ttl.Minutes()))))
}
