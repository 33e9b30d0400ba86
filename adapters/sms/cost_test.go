package sms_test

import (
	"context"
	"testing"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// units answers like Tencent: sent, charged n billing units (0: not said).
type units struct{ n int }

func (u units) Send(context.Context, ports.SMSMessage) (ports.SMSResult, error) {
	return ports.SMSResult{Provider: "x", MessageID: "id", Units: u.n}, nil
}

// TestAttemptCost: the send log and the result carry the table's price
// times the billing units; a vendor that reports none (Aliyun) is one
// unit; a failed attempt and an unpriced provider cost nothing.
func TestAttemptCost(t *testing.T) {
	prices, err := domain.ParseSMSPrices("tencent:CN=0.045,*=0.35;aliyun:CN=0.04", "CNY")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		provider string
		sender   ports.SMS
		region   string
		want     float64
		priced   bool
	}{
		{"tencent one unit", "tencent", units{1}, "CN", 0.045, true},
		{"tencent long text", "tencent", units{3}, "CN", 0.135, true},
		{"tencent elsewhere", "tencent", units{1}, "US", 0.35, true},
		{"aliyun no fee in the answer", "aliyun", units{0}, "CN", 0.04, true},
		{"aliyun unpriced region", "aliyun", units{0}, "US", 0, false},
		{"unpriced provider", "other", units{1}, "CN", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &memLog{}
			f, err := sms.NewFailover([]sms.Named{{Name: tt.provider, Sender: tt.sender}}, sms.Options{Log: log, Prices: prices})
			if err != nil {
				t.Fatal(err)
			}
			msg := testMessage()
			msg.Phone.Region = tt.region
			res, err := f.Send(t.Context(), msg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Priced != tt.priced || res.Cost.Float() != tt.want {
				t.Fatalf("result cost = %v (priced %v), want %v (%v)", res.Cost.Float(), res.Priced, tt.want, tt.priced)
			}
			if a := log.all(); len(a) != 1 || a[0].Cost != tt.want {
				t.Fatalf("send log = %+v, want one attempt costing %v", a, tt.want)
			}
		})
	}
	t.Run("failed attempt", func(t *testing.T) {
		log := &memLog{}
		bad := &scripted{name: "tencent", err: providerFailed("tencent")}
		f, err := sms.NewFailover([]sms.Named{{Name: "tencent", Sender: bad}, {Name: "aliyun", Sender: units{0}}},
			sms.Options{Log: log, Prices: prices})
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.Send(t.Context(), testMessage())
		if err != nil || res.Cost.Float() != 0.04 {
			t.Fatalf("failover result = %+v, %v; want aliyun's 0.04", res, err)
		}
		a := log.all()
		if len(a) != 2 || a[0].Cost != 0 || a[1].Cost != 0.04 {
			t.Fatalf("send log = %+v, want the failed tencent attempt free and aliyun 0.04", a)
		}
	})
}
