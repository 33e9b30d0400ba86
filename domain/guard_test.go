package domain

import (
	"testing"
	"time"
)

func TestGuardEvaluate(t *testing.T) {
	p := DefaultGuardPolicy()
	w := func(sent, unverified int) GuardWindow { return GuardWindow{Sent: sent, Unverified: unverified} }
	young := func(sent, pending int) GuardWindow { return GuardWindow{Sent: sent, Pending: pending} }
	for _, tt := range []struct {
		name  string
		s     GuardStats
		want  GuardAction
		rule  string
		retry time.Duration
	}{
		{"nothing yet", GuardStats{IPCountries: 1}, GuardAllow, "", 0},
		{"healthy busy country", GuardStats{Country: GuardCounts{Hour: w(500, 60), Day: w(5000, 700)}, CountryNormal: 4000, IPCountries: 1}, GuardAllow, "", 0},
		{"prefix pumped", GuardStats{Prefix: GuardCounts{Hour: w(8, 8)}, IPCountries: 1}, GuardBlock, "prefix_hour", 15 * time.Minute},
		{"prefix half way: captcha", GuardStats{Prefix: GuardCounts{Hour: w(4, 4)}, IPCountries: 1}, GuardChallenge, "prefix_hour", 0},
		{"prefix many sends, most entered", GuardStats{Prefix: GuardCounts{Hour: w(30, 8)}, IPCountries: 1}, GuardAllow, "", 0},
		{"prefix day", GuardStats{Prefix: GuardCounts{Day: w(25, 20)}, IPCountries: 1}, GuardBlock, "prefix_day", 2 * time.Hour},
		{"IP hour", GuardStats{IP: GuardCounts{Hour: w(12, 10)}, IPCountries: 1}, GuardBlock, "ip_hour", 15 * time.Minute},
		{"new install country floor", GuardStats{Country: GuardCounts{Hour: w(40, 30)}, IPCountries: 1}, GuardBlock, "country_hour", 15 * time.Minute},
		{"history raises the country bar", GuardStats{Country: GuardCounts{Hour: w(40, 30)}, CountryNormal: 1000, IPCountries: 1}, GuardAllow, "", 0},
		{"history bar reached", GuardStats{Country: GuardCounts{Day: w(600, 500)}, CountryNormal: 1000, IPCountries: 1}, GuardBlock, "country_day", 2 * time.Hour},
		{"history: challenge before block", GuardStats{Country: GuardCounts{Day: w(300, 260)}, CountryNormal: 1000, IPCountries: 1}, GuardChallenge, "country_day", 0},
		{"IP in too many countries", GuardStats{IPCountries: 4}, GuardBlock, "ip_countries", 2 * time.Hour},
		{"IP in three countries", GuardStats{IPCountries: 3}, GuardAllow, "", 0},
		{"prefix burst before anything is unverified", GuardStats{Prefix: GuardCounts{Hour: young(40, 40)}, IPCountries: 1}, GuardBlock, "prefix_burst", 15 * time.Minute},
		{"young sends already entered are no burst", GuardStats{Prefix: GuardCounts{Hour: young(45, 5)}, IPCountries: 1}, GuardAllow, "", 0},
		{"prefix burst half way", GuardStats{Prefix: GuardCounts{Hour: young(20, 20)}, IPCountries: 1}, GuardChallenge, "prefix_burst", 0},
		{"block beats challenge", GuardStats{Prefix: GuardCounts{Hour: w(4, 4)}, IP: GuardCounts{Day: w(20, 20)}, IPCountries: 1}, GuardBlock, "ip_day", 2 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Evaluate(tt.s)
			if got.Action != tt.want || got.Rule != tt.rule || got.RetryAfter != tt.retry {
				t.Fatalf("Evaluate = %+v, want %s %q %s", got, tt.want, tt.rule, tt.retry)
			}
		})
	}
}

func TestGuardPolicyValidate(t *testing.T) {
	if err := DefaultGuardPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultGuardPolicy()
	bad.BlockRatio = 0
	if bad.Validate() == nil {
		t.Error("BlockRatio 0 accepted")
	}
	bad = DefaultGuardPolicy()
	bad.PrefixHour = 0
	if bad.Validate() == nil {
		t.Error("PrefixHour 0 accepted")
	}
}

func TestNumberPrefix(t *testing.T) {
	for in, want := range map[string]string{"+8613711112222": "+861371111", "+14155552671": "+1415555", "+123": "+123"} {
		if got := NumberPrefix(in); got != want {
			t.Errorf("NumberPrefix(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestParseGuardMode(t *testing.T) {
	for in, want := range map[string]GuardMode{"": GuardEnforce, "enforce": GuardEnforce, "observe": GuardObserve, "off": GuardOff} {
		if got, err := ParseGuardMode(in); err != nil || got != want {
			t.Errorf("ParseGuardMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseGuardMode("on"); err == nil {
		t.Error("ParseGuardMode(on) accepted")
	}
}
