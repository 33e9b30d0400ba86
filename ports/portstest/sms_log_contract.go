package portstest

import (
	"testing"
	"time"

	"github.com/authd/authd/ports"
)

// TestSMSLog is the contract every ports.SMSLog must pass: receipts find the
// attempt by the vendor's message id or by our message id, per provider.
func TestSMSLog(t *testing.T, newStore func(t *testing.T) ports.SMSLog) {
	s := newStore(t)
	attempts := []ports.SendAttempt{
		{ID: testID('a', 1), MessageID: "m1", Provider: "tencent", Phone: "+8613711110001",
			Purpose: "login", Status: ports.SendStatusFailed, VendorCode: "LimitExceeded", Latency: 80 * time.Millisecond, CreatedAt: contractTime},
		{ID: testID('a', 2), MessageID: "m1", Provider: "aliyun", VendorMessageID: "biz-1", Phone: "+8613711110001",
			Purpose: "login", Status: ports.SendStatusSent, VendorCode: "OK", Latency: 120 * time.Millisecond, CreatedAt: contractTime},
		{ID: testID('a', 3), MessageID: "m2", Provider: "tencent", VendorMessageID: "sid-2", Phone: "+8613711110002",
			Purpose: "reset_password", Status: ports.SendStatusSent, CreatedAt: contractTime},
	}
	for _, a := range attempts {
		wantErr(t, "record "+a.ID, s.Record(ctx(t), a), nil)
	}
	at := contractTime.Add(5 * time.Second)
	tests := []struct {
		name      string
		receipt   ports.DeliveryReceipt
		wantFound bool
	}{
		{"by vendor id", ports.DeliveryReceipt{Provider: "tencent", VendorMessageID: "sid-2", Delivered: true, At: at}, true},
		{"by our id", ports.DeliveryReceipt{Provider: "aliyun", MessageID: "m1", Delivered: false, VendorCode: "MOBILE_NOT_ON_SERVICE", At: at}, true},
		{"vendor id unknown, our id known", ports.DeliveryReceipt{Provider: "aliyun", VendorMessageID: "biz-x", MessageID: "m1", Delivered: true, At: at}, true},
		{"unknown vendor id", ports.DeliveryReceipt{Provider: "tencent", VendorMessageID: "sid-404", Delivered: true, At: at}, false},
		{"other provider's id", ports.DeliveryReceipt{Provider: "aliyun", VendorMessageID: "sid-2", Delivered: true, At: at}, false},
		{"no ids", ports.DeliveryReceipt{Provider: "tencent", Delivered: true, At: at}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, err := s.ApplyReceipt(ctx(t), tt.receipt)
			wantErr(t, "apply", err, nil)
			if found != tt.wantFound {
				t.Errorf("found = %v, want %v", found, tt.wantFound)
			}
		})
	}
}
