package phonenum

import (
	"errors"
	"maps"
	"testing"

	"github.com/authd/authd/domain"
)

func TestParseRegions(t *testing.T) {
	for _, tt := range []struct {
		in      string
		all     bool
		regions []string
	}{
		{"*", true, nil},
		{" * ", true, nil},
		{"CN", false, []string{"CN"}},
		{"CN,US", false, []string{"CN", "US"}},
		{" cn , us ,CN", false, []string{"CN", "US"}},
	} {
		got, err := ParseRegions(tt.in)
		if err != nil {
			t.Errorf("ParseRegions(%q): %v", tt.in, err)
			continue
		}
		want := map[string]bool{}
		for _, r := range tt.regions {
			want[r] = true
		}
		if got.All != tt.all || (!tt.all && !maps.Equal(got.Regions, want)) {
			t.Errorf("ParseRegions(%q) = %+v, want all=%v %v", tt.in, got, tt.all, tt.regions)
		}
	}
	for _, in := range []string{"", ",", "CN,", "CN,XX", "CN;US", "*,CN", "**", "001", "China"} {
		var ce *domain.ConfigError
		if _, err := ParseRegions(in); !errors.As(err, &ce) || ce.Key != "AUTHD_SMS_ALLOWED_REGIONS" {
			t.Errorf("ParseRegions(%q) = %v, want ConfigError for AUTHD_SMS_ALLOWED_REGIONS", in, err)
		}
	}
}

func TestParsedPolicyAllows(t *testing.T) {
	policy, err := ParseRegions("CN")
	if err != nil {
		t.Fatal(err)
	}
	p := newParser(t, "CN")
	cn, _ := p.Parse("13800138000")
	us, _ := p.Parse("+1 415 555 2671")
	if !policy.Allows(cn) || policy.Allows(us) {
		t.Fatalf("policy CN: allows CN %v, US %v", policy.Allows(cn), policy.Allows(us))
	}
}
