package bunstore

import (
	"testing"
	"time"

	"github.com/authd/authd/ports"
)

// TestReceiptFields checks what the port cannot show: the stored status,
// receipt time and code, and the attempt's cost.
func TestReceiptFields(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := migrated(t, d.url(t))
			at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
			a := ports.SendAttempt{ID: "a1", MessageID: "m1", Provider: "aliyun", VendorMessageID: "biz-1",
				Phone: "+8613711110001", Purpose: "login", Status: ports.SendStatusSent, Latency: 1500 * time.Millisecond, CreatedAt: at, Cost: 0.09}
			if err := s.Record(t.Context(), a); err != nil {
				t.Fatal(err)
			}
			found, err := s.ApplyReceipt(t.Context(), ports.DeliveryReceipt{Provider: "aliyun", VendorMessageID: "biz-1",
				Delivered: false, VendorCode: "MOBILE_NOT_ON_SERVICE", At: at.Add(time.Second)})
			if err != nil || !found {
				t.Fatalf("ApplyReceipt = %v, %v", found, err)
			}
			var row smsAttemptRow
			if err := s.db.NewSelect().Model(&row).Where("id = ?", "a1").Scan(t.Context()); err != nil {
				t.Fatal(err)
			}
			if row.Status != ports.SendStatusUndelivered || row.ReceiptCode != "MOBILE_NOT_ON_SERVICE" ||
				!row.ReceiptAt.Equal(at.Add(time.Second)) || row.LatencyMS != 1500 || !row.CreatedAt.Equal(at) || row.Cost != 0.09 {
				t.Fatalf("row after receipt = %+v", row)
			}
		})
	}
}
