package phonenum

import (
	"errors"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func newParser(t testing.TB, region string) *Parser {
	t.Helper()
	p, err := New(Config{DefaultRegion: region})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParse(t *testing.T) {
	cn := domain.Phone{E164: "+8613800138000", Region: "CN"}
	for _, tt := range []struct {
		in   string
		want domain.Phone // zero: ErrInvalidPhone
	}{
		{"13800138000", cn},
		{"+8613800138000", cn},
		{"+86 138-0013-8000", cn},
		{"(138) 0013 8000", cn},
		{"138.0013.8000", cn},
		{"  13800138000\t", cn},
		{"008613800138000", cn},
		{"0086 138 0013 8000", cn},
		{"１３８００１３８０００", cn}, // full-width digits, as some IMEs type them
		{"+8613711112222", domain.Phone{E164: "+8613711112222", Region: "CN"}},
		{"+1 415 555 2671", domain.Phone{E164: "+14155552671", Region: "US"}},
		{"+1 (415) 555-2671", domain.Phone{E164: "+14155552671", Region: "US"}},
		{"+44 7400 123456", domain.Phone{E164: "+447400123456", Region: "GB"}},
		{"+852 5123 4567", domain.Phone{E164: "+85251234567", Region: "HK"}},

		{"", domain.Phone{}},
		{"   ", domain.Phone{}},
		{"+", domain.Phone{}},
		{"hello", domain.Phone{}},
		{"1380013800O", domain.Phone{}},    // letter O for zero
		{"+1-800-FLOWERS", domain.Phone{}}, // vanity letters
		{"+14155552671 ext. 12", domain.Phone{}},
		{"+14155552671;ext=12", domain.Phone{}},
		{"tel:+14155552671", domain.Phone{}},
		{"1380013800", domain.Phone{}},   // one digit short
		{"138001380001", domain.Phone{}}, // one digit long
		{"12345", domain.Phone{}},
		{"+86", domain.Phone{}},
		{"++8613800138000", domain.Phone{}},
		{"86+13800138000", domain.Phone{}},
		{"+999 1234 5678", domain.Phone{}},        // no such country code
		{"+86 10 6552 9988", domain.Phone{}},      // Beijing fixed line: no SMS
		{"+1 900 555 0123", domain.Phone{}},       // premium rate
		{"+800 1234 5678", domain.Phone{}},        // non-geographic freephone
		{strings.Repeat("1", 33), domain.Phone{}}, // over the cap
		{"+86 138 0013 8000" + strings.Repeat(" ", 20), cn},
		{"+86" + strings.Repeat(" ", 30) + "13800138000", domain.Phone{}},
		{"13800138000\x00", domain.Phone{}},
	} {
		got, err := newParser(t, "CN").Parse(tt.in)
		if tt.want.IsZero() {
			if !errors.Is(err, domain.ErrInvalidPhone) {
				t.Errorf("Parse(%q) = %+v, %v; want ErrInvalidPhone", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseNationalUsesDefaultRegion(t *testing.T) {
	got, err := newParser(t, "us").Parse("(415) 555-2671")
	if err != nil || got != (domain.Phone{E164: "+14155552671", Region: "US"}) {
		t.Fatalf("Parse = %+v, %v", got, err)
	}
	// A Chinese mobile without +86 is not a US number.
	if _, err := newParser(t, "US").Parse("13800138000"); !errors.Is(err, domain.ErrInvalidPhone) {
		t.Fatalf("CN national in US region: %v, want ErrInvalidPhone", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, r := range []string{"CN", "US", "gb", " HK "} {
		if err := (Config{DefaultRegion: r}).Validate(); err != nil {
			t.Errorf("Validate(%q) = %v", r, err)
		}
	}
	for _, r := range []string{"", "XX", "China", "001", "ZZ", "C"} {
		var ce *domain.ConfigError
		if err := (Config{DefaultRegion: r}).Validate(); !errors.As(err, &ce) || ce.Key != "AUTHD_SMS_DEFAULT_REGION" {
			t.Errorf("Validate(%q) = %v, want ConfigError for AUTHD_SMS_DEFAULT_REGION", r, err)
		}
	}
	if _, err := New(Config{DefaultRegion: "XX"}); err == nil {
		t.Error("New accepted an unknown region")
	}
}

func TestModule(t *testing.T) {
	var p ports.PhoneParser
	app := fx.New(Module(Config{DefaultRegion: "CN"}), fx.NopLogger, fx.Populate(&p))
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Parse("13800138000"); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkParse(b *testing.B) {
	p := newParser(b, "CN")
	for b.Loop() {
		if _, err := p.Parse("+86 138-0013-8000"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestScreening checks the blocked number types: the defaults refuse the
// kinds that pay their holder or cannot take a text, and the list is the
// operator's to change.
func TestScreening(t *testing.T) {
	for _, tt := range []struct {
		name    string
		blocked string // AUTHD_SMS_BLOCKED_NUMBER_TYPES
		in      string
		ok      bool
	}{
		{"mobile", "", "+8613800138000", true},
		{"US fixed or mobile", "", "+14155552671", true},
		{"premium rate", "", "+19005550123", false},
		{"GB premium rate", "", "+449098790000", false},
		{"toll free", "", "+18005550199", false},
		{"FR shared cost", "", "+33810123456", false},
		{"GB VoIP", "", "+445612345678", false},
		{"GB pager", "", "+447640123456", false},
		{"GB UAN", "", "+445512345678", false},
		{"fixed line", "", "+861065529988", false},
		{"VoIP allowed by the operator", "premium_rate,toll_free", "+445612345678", true},
		{"fixed line allowed by the operator", "premium_rate", "+861065529988", true},
		{"none blocks nothing screenable", "none", "+19005550123", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			types, err := ParseNumberTypes(tt.blocked)
			if err != nil {
				t.Fatal(err)
			}
			p, err := New(Config{DefaultRegion: "CN", BlockedTypes: types})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Parse(tt.in)
			if tt.ok && err != nil {
				t.Fatalf("Parse(%s) = %v, want ok", tt.in, err)
			}
			if !tt.ok && !errors.Is(err, domain.ErrInvalidPhone) {
				t.Fatalf("Parse(%s) = %v, want ErrInvalidPhone", tt.in, err)
			}
		})
	}
}

func TestParseNumberTypes(t *testing.T) {
	for _, bad := range []string{"mobile", "premium", "voip,,pager", "fixed_line_or_mobile"} {
		var ce *domain.ConfigError
		if _, err := ParseNumberTypes(bad); !errors.As(err, &ce) || ce.Key != "AUTHD_SMS_BLOCKED_NUMBER_TYPES" {
			t.Errorf("ParseNumberTypes(%q) = %v, want a config error naming the key", bad, err)
		}
	}
	if got, _ := ParseNumberTypes(" VoIP , Pager "); strings.Join(got, ",") != "voip,pager" {
		t.Errorf("ParseNumberTypes: got %v", got)
	}
	if _, err := New(Config{DefaultRegion: "CN", BlockedTypes: []string{"mobile"}}); err == nil {
		t.Error("New accepted mobile as a blocked type")
	}
}
