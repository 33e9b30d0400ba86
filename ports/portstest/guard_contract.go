package portstest

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestGuardCounters is the contract every ports.GuardCounters must pass.
// Subtests run in parallel on subjects and phones of their own, on a
// clock of their own (the counters follow the caller's now).
func TestGuardCounters(t *testing.T, newCounters func(t *testing.T) ports.GuardCounters) {
	tests := []struct {
		name string
		run  func(t *testing.T, g ports.GuardCounters)
	}{
		{"Empty", guardEmpty},
		{"SendIsPendingThenUnverified", guardPendingThenUnverified},
		{"VerifiedCreditsTheSend", guardVerified},
		{"VerifiedOnce", guardVerifiedOnce},
		{"WindowsSlide", guardWindowsSlide},
		{"IPCountries", guardIPCountries},
		{"Reset", guardReset},
		{"LearnedVolume", guardLearned},
		{"SubjectsSeparate", guardSeparate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newCounters(t))
		})
	}
}

// guardT0 is a minute boundary, so that minute buckets line up with the
// durations the tests add.
var guardT0 = time.Date(2031, 5, 6, 10, 0, 0, 0, time.UTC)

const guardGrace = 2 * time.Minute

// newSubject returns a subject whose keys no other test uses.
func newSubject() ports.GuardSubject {
	r := rand.Text()[:8]
	return ports.GuardSubject{Country: "T" + r, Prefix: "+99" + r, IP: "198.51.100." + r}
}

func newGuardPhone() string { return "+99" + rand.Text()[:10] }

func stats(t *testing.T, g ports.GuardCounters, s ports.GuardSubject, now time.Time) domain.GuardStats {
	t.Helper()
	st, err := g.Stats(t.Context(), s, guardGrace, now)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

func send(t *testing.T, g ports.GuardCounters, phone string, s ports.GuardSubject, now time.Time) {
	t.Helper()
	if err := g.RecordSend(t.Context(), phone, s, now); err != nil {
		t.Fatalf("RecordSend: %v", err)
	}
}

func verified(t *testing.T, g ports.GuardCounters, phone string, now time.Time) {
	t.Helper()
	if err := g.RecordVerified(t.Context(), phone, now); err != nil {
		t.Fatalf("RecordVerified: %v", err)
	}
}

func guardEmpty(t *testing.T, g ports.GuardCounters) {
	st := stats(t, g, newSubject(), guardT0)
	if st != (domain.GuardStats{IPCountries: 1}) {
		t.Fatalf("fresh subject: %+v, want only IPCountries 1 (its own country)", st)
	}
}

func guardPendingThenUnverified(t *testing.T, g ports.GuardCounters) {
	s := newSubject()
	send(t, g, newGuardPhone(), s, guardT0)
	young := domain.GuardWindow{Sent: 1, Pending: 1}
	st := stats(t, g, s, guardT0.Add(30*time.Second))
	for name, c := range map[string]domain.GuardCounts{"country": st.Country, "prefix": st.Prefix, "ip": st.IP} {
		if c.Hour != young || c.Day != young {
			t.Fatalf("%s at 30 s: %+v, want sent 1 pending 1", name, c)
		}
	}
	old := domain.GuardWindow{Sent: 1, Unverified: 1}
	st = stats(t, g, s, guardT0.Add(guardGrace+time.Minute))
	if st.Prefix.Hour != old || st.Prefix.Day != old {
		t.Fatalf("prefix past the grace: %+v, want sent 1 unverified 1", st.Prefix)
	}
}

func guardVerified(t *testing.T, g ports.GuardCounters) {
	s := newSubject()
	phone := newGuardPhone()
	send(t, g, phone, s, guardT0)
	verified(t, g, phone, guardT0.Add(20*time.Second))
	st := stats(t, g, s, guardT0.Add(10*time.Minute))
	want := domain.GuardWindow{Sent: 1}
	if st.Country.Hour != want || st.IP.Day != want || st.Prefix.Hour != want {
		t.Fatalf("after verify: %+v", st)
	}
	if st.CountryNormal != 1 {
		t.Fatalf("CountryNormal = %d, want 1", st.CountryNormal)
	}
	if err := g.RecordVerified(t.Context(), newGuardPhone(), guardT0); err != nil {
		t.Fatalf("RecordVerified of a phone never sent to: %v", err)
	}
}

func guardVerifiedOnce(t *testing.T, g ports.GuardCounters) {
	s := newSubject()
	a, b := newGuardPhone(), newGuardPhone()
	send(t, g, a, s, guardT0)
	send(t, g, b, s, guardT0)
	verified(t, g, a, guardT0.Add(time.Minute))
	verified(t, g, a, guardT0.Add(time.Minute)) // a second consume of the same send
	st := stats(t, g, s, guardT0.Add(5*time.Minute))
	if want := (domain.GuardWindow{Sent: 2, Unverified: 1}); st.Prefix.Hour != want {
		t.Fatalf("prefix hour: %+v, want %+v", st.Prefix.Hour, want)
	}
}

func guardWindowsSlide(t *testing.T, g ports.GuardCounters) {
	s := newSubject()
	send(t, g, newGuardPhone(), s, guardT0)
	st := stats(t, g, s, guardT0.Add(61*time.Minute))
	if st.Prefix.Hour != (domain.GuardWindow{}) || st.Prefix.Day != (domain.GuardWindow{Sent: 1, Unverified: 1}) {
		t.Fatalf("after an hour: %+v", st.Prefix)
	}
	st = stats(t, g, s, guardT0.Add(25*time.Hour))
	if st.Prefix != (domain.GuardCounts{}) {
		t.Fatalf("after a day: %+v", st.Prefix)
	}
}

func guardIPCountries(t *testing.T, g ports.GuardCounters) {
	s := newSubject()
	for i, cc := range []string{"X1", "X2", "X2"} {
		send(t, g, newGuardPhone(), ports.GuardSubject{Country: cc, Prefix: s.Prefix, IP: s.IP}, guardT0.Add(time.Duration(i)*time.Minute))
	}
	if n := stats(t, g, ports.GuardSubject{Country: "X3", Prefix: s.Prefix, IP: s.IP}, guardT0.Add(time.Hour)).IPCountries; n != 3 {
		t.Fatalf("IPCountries with a new country = %d, want 3", n)
	}
	if n := stats(t, g, ports.GuardSubject{Country: "X1", Prefix: s.Prefix, IP: s.IP}, guardT0.Add(time.Hour)).IPCountries; n != 2 {
		t.Fatalf("IPCountries with a known country = %d, want 2", n)
	}
	if n := stats(t, g, ports.GuardSubject{Country: "X3", Prefix: s.Prefix, IP: s.IP}, guardT0.Add(26*time.Hour)).IPCountries; n != 1 {
		t.Fatalf("IPCountries a day later = %d, want 1", n)
	}
}

func guardReset(t *testing.T, g ports.GuardCounters) {
	s := newSubject()
	send(t, g, newGuardPhone(), s, guardT0)
	if err := g.Reset(t.Context(), ports.GuardPrefix, s.Prefix); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	st := stats(t, g, s, guardT0.Add(10*time.Minute))
	if st.Prefix != (domain.GuardCounts{}) || st.Country.Hour.Sent != 1 {
		t.Fatalf("after resetting the prefix: %+v", st)
	}
	if err := g.Reset(t.Context(), ports.GuardIP, "203.0.113.250-never-seen"); err != nil {
		t.Fatalf("Reset of an unknown subject: %v", err)
	}
}

func guardLearned(t *testing.T, g ports.GuardCounters) {
	s := newSubject()
	for d, n := range []int{5, 2} {
		day := guardT0.Add(time.Duration(d) * 24 * time.Hour)
		for range n {
			p := newGuardPhone()
			send(t, g, p, s, day)
			verified(t, g, p, day.Add(time.Minute))
		}
	}
	if n := stats(t, g, s, guardT0.Add(48*time.Hour)).CountryNormal; n != 5 {
		t.Fatalf("CountryNormal = %d, want 5 (the best day)", n)
	}
	if n := stats(t, g, s, guardT0.Add(15*24*time.Hour+time.Hour)).CountryNormal; n != 2 {
		t.Fatalf("CountryNormal two weeks on = %d, want 2 (the best day slid out)", n)
	}
}

func guardSeparate(t *testing.T, g ports.GuardCounters) {
	a, b := newSubject(), newSubject()
	send(t, g, newGuardPhone(), a, guardT0)
	if st := stats(t, g, b, guardT0.Add(time.Second)); st.Prefix.Hour.Sent != 0 || st.Country.Hour.Sent != 0 || st.IP.Hour.Sent != 0 {
		t.Fatalf("another subject sees the send: %+v", st)
	}
}
