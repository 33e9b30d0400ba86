package smstext_test

import (
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/smstext"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestRenderFallsBackFromRequestToRegionToEnglish(t *testing.T) {
	texts, err := smstext.Parse("login.zh-CN=您的登录验证码是{code}，{minutes}分钟内有效。\nlogin.zh=验证码{code}; login.fr=Code {code}; login.en=Code: {code}")
	if err != nil {
		t.Fatal(err)
	}
	locales, err := smstext.ParseRegionLocales("CN=zh-CN;HK,MO=zh-HK")
	if err != nil {
		t.Fatal(err)
	}
	c := smstext.Config{Texts: texts, RegionLocales: locales}
	msg := func(region, locale string, p domain.Purpose) ports.SMSMessage {
		return ports.SMSMessage{Phone: domain.Phone{Region: region}, Locale: locale, Purpose: p, Code: "123456", TTL: 90 * time.Second}
	}
	tests := []struct {
		name string
		msg  ports.SMSMessage
		want string
	}{
		{"request locale wins", msg("CN", "fr", domain.PurposeLogin), "Code 123456"},
		{"request language of a tag", msg("US", "fr-CA", domain.PurposeLogin), "Code 123456"},
		{"region default", msg("CN", "", domain.PurposeLogin), "您的登录验证码是123456，2分钟内有效。"},
		{"region default's language", msg("HK", "", domain.PurposeLogin), "验证码123456"},
		{"unknown locale: region then en", msg("US", "de", domain.PurposeLogin), "Code: 123456"},
		{"no configured text: built-in English", msg("CN", "", domain.PurposeResetPassword), "Your password reset code is 123456. It expires in 2 minutes."},
	}
	for _, tt := range tests {
		if got := c.Render(tt.msg); got != tt.want {
			t.Errorf("%s: Render = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRenderAddsAutofillLines(t *testing.T) {
	c := smstext.Config{WebOTPDomain: "auth.example.com", AndroidAppHash: "FA+9qCX9VSu"}
	got := c.Render(ports.SMSMessage{Purpose: domain.PurposeLogin, Code: "123456", TTL: 5 * time.Minute})
	want := "Your login code is 123456. It expires in 5 minutes.\n\nFA+9qCX9VSu\n\n@auth.example.com #123456"
	if got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
	pw := c.Render(ports.SMSMessage{Purpose: domain.PurposeInitialPassword, Code: "s3cret"})
	if pw != "Your password is s3cret. Change it after you log in." {
		t.Errorf("initial password text = %q: a password gets no autofill lines", pw)
	}
}

func TestParseRefusesBadEntries(t *testing.T) {
	for _, spec := range []string{"login=Code {code}", "login.en=", "nope.en=Code {code}", ".en=Code {code}", "login.en=no code here"} {
		if _, err := smstext.Parse(spec); err == nil {
			t.Errorf("Parse(%q) accepted", spec)
		}
	}
	if _, err := smstext.ParseRegionLocales("CN"); err == nil {
		t.Error("ParseRegionLocales accepted an entry without =")
	}
	if err := (smstext.Config{AndroidAppHash: "short"}).Validate(); err == nil {
		t.Error("a short app hash was accepted")
	}
}
