package bunstore

import (
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func candidateUser() domain.User {
	return domain.User{ID: "0195-u-1", Username: "user_one", Phone: "+8613711110001", CreatedAt: time.Now()}
}

// TestReceiptFields checks what the port cannot show: the stored status,
// receipt time and code.
func TestReceiptFields(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := migrated(t, d.url(t))
			at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
			a := ports.SendAttempt{ID: "a1", MessageID: "m1", Provider: "aliyun", VendorMessageID: "biz-1",
				Phone: "+8613711110001", Purpose: "login", Status: ports.SendStatusSent, Latency: 1500 * time.Millisecond, CreatedAt: at}
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
				!row.ReceiptAt.Equal(at.Add(time.Second)) || row.LatencyMS != 1500 || !row.CreatedAt.Equal(at) {
				t.Fatalf("row after receipt = %+v", row)
			}
		})
	}
}

// TestSQLiteManyConnections runs the contracts with a pool of several
// SQLite connections: WAL, busy_timeout and BEGIN IMMEDIATE must keep
// concurrent writers from failing with SQLITE_BUSY.
func TestSQLiteManyConnections(t *testing.T) {
	open := func(t *testing.T) *Store {
		s, err := Open(t.Context(), Config{DatabaseURL: "sqlite:" + t.TempDir() + "/a.db", MaxOpenConns: 8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	portstest.TestUsers(t, func(t *testing.T) ports.Users { return open(t) })
	portstest.TestRefreshTokens(t, func(t *testing.T) (ports.RefreshTokens, ports.Users) { s := open(t); return s, s })
}
