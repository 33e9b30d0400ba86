package domain_test

import (
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

func TestParseSMSPrices(t *testing.T) {
	tests := []struct {
		in       string
		provider string
		region   string
		want     domain.Money
		ok       bool
		bad      bool
	}{
		{in: "tencent:CN=0.045,*=0.35;aliyun:CN=0.045", provider: "tencent", region: "CN", want: 45_000, ok: true},
		{in: "tencent:CN=0.045,*=0.35", provider: "tencent", region: "US", want: 350_000, ok: true},
		{in: "tencent:CN=0.045", provider: "tencent", region: "US"},
		{in: "aliyun:cn=0.04", provider: "aliyun", region: "CN", want: 40_000, ok: true},
		{in: " Tencent : CN = 0.045 ; ", provider: "tencent", region: "CN", want: 45_000, ok: true},
		{in: "", provider: "tencent", region: "CN"},
		{in: "tencent", bad: true},
		{in: "tencent:CN", bad: true},
		{in: "tencent:CHN=1", bad: true},
		{in: "tencent:CN=-1", bad: true},
		{in: "tencent:CN=NaN", bad: true},
		{in: "tencent:CN=abc", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := domain.ParseSMSPrices(tt.in, "CNY")
			if tt.bad {
				if err == nil {
					t.Fatalf("ParseSMSPrices(%q) accepted", tt.in)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, ok := p.Price(tt.provider, tt.region)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("Price(%s, %s) = %d, %v; want %d, %v", tt.provider, tt.region, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestExpectedIsTheDearestProvider(t *testing.T) {
	p, err := domain.ParseSMSPrices("tencent:CN=0.045,*=0.35;aliyun:CN=0.05", "CNY")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Expected("CN"); got != 50_000 {
		t.Fatalf("Expected(CN) = %d, want aliyun's 50000", got)
	}
	if got := p.Expected("US"); got != 350_000 {
		t.Fatalf("Expected(US) = %d, want tencent's * 350000", got)
	}
}

func TestNextSpendPeriod(t *testing.T) {
	tests := []struct {
		period string
		at     time.Time
		want   time.Time
	}{
		{domain.SpendDaily, time.Date(2030, 1, 31, 23, 59, 59, 0, time.UTC), time.Date(2030, 2, 1, 0, 0, 0, 0, time.UTC)},
		{domain.SpendDaily, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)},
		{domain.SpendMonthly, time.Date(2030, 12, 15, 8, 0, 0, 0, time.UTC), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)},
		// The periods are UTC whatever the caller's zone.
		{domain.SpendDaily, time.Date(2030, 1, 1, 7, 0, 0, 0, time.FixedZone("CST", 8*3600)), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := domain.NextSpendPeriod(tt.period, tt.at); !got.Equal(tt.want) {
			t.Errorf("NextSpendPeriod(%s, %v) = %v, want %v", tt.period, tt.at, got, tt.want)
		}
	}
}
