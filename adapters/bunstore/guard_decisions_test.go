package bunstore

import (
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

// TestGuardDecisions stores decisions and reads back those since a time,
// newest first, on every dialect.
func TestGuardDecisions(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := migrated(t, d.url(t))
			t0 := time.Date(2031, 1, 2, 3, 0, 0, 0, time.UTC)
			for i := range 3 {
				dec := domain.GuardDecision{At: t0.Add(time.Duration(i) * time.Minute), Phone: "+8613700000001", Country: "CN",
					Prefix: "+861370000", IP: "203.0.113.9", Action: domain.GuardBlock, Rule: "prefix_hour", Mode: domain.GuardEnforce}
				if err := s.RecordDecision(t.Context(), dec); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Decisions(t.Context(), t0.Add(time.Minute), 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || !got[0].At.Equal(t0.Add(2*time.Minute)) || got[1].Rule != "prefix_hour" ||
				got[1].Action != domain.GuardBlock || got[1].Mode != domain.GuardEnforce || got[1].Prefix != "+861370000" {
				t.Fatalf("Decisions = %+v", got)
			}
			if got, _ := s.Decisions(t.Context(), t0, 1); len(got) != 1 {
				t.Fatalf("limit 1: %d decisions", len(got))
			}
		})
	}
}
