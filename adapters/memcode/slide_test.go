package memcode_test

import (
	"testing"
	"time"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestNoRollingHourOverCap replays the review's case on the caller's clock:
// with a cap of 5 an hour, one send at 00:00 and four at 00:55, then a try a
// minute from 01:00:01 to 01:03. A fixed window that reset whole at 01:00
// let 5 more through, 9 sends between 00:55 and 01:03. Every rolling hour
// must hold at most 5.
func TestNoRollingHourOverCap(t *testing.T) {
	s := memcode.New()
	p := domain.CodePolicy{Length: 6, TTL: 5 * time.Minute, MaxAttempts: 5, HourlyLimit: 5, DailyLimit: 100}
	key := ports.CodeKey{Phone: "+8613711112222", Purpose: domain.PurposeLogin}
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tries := []time.Time{t0}
	for i := range 4 {
		tries = append(tries, t0.Add(55*time.Minute+time.Duration(i)*time.Second))
	}
	for i := range 4 {
		tries = append(tries, t0.Add(time.Hour+time.Second+time.Duration(i)*time.Minute))
	}
	var sent []time.Time
	for _, at := range tries {
		if err := s.Issue(t.Context(), ports.IssueCode{Key: key, Digest: []byte(at.String()), Policy: p, Now: at}); err == nil {
			sent = append(sent, at)
		}
	}
	for i, from := range sent {
		n := 0
		for _, at := range sent[i:] {
			if at.Sub(from) < time.Hour {
				n++
			}
		}
		if n > p.HourlyLimit {
			t.Fatalf("%d sends in the hour from %s (cap %d): %v", n, from.Format("15:04:05"), p.HourlyLimit, sent)
		}
	}
	if len(sent) != 6 {
		t.Fatalf("%d sends, want 6 (5, then 1 once the first aged out)", len(sent))
	}
}
