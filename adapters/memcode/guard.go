package memcode

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/adapters/guardcount"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.GuardCounters = (*Guard)(nil)

// Guard keeps the abuse guard's counters in memory, in the bucket layout
// of package guardcount (one instance only, like the rest of memcode).
type Guard struct {
	mu        sync.Mutex
	subjects  map[string]*subject
	sends     map[string]guardcount.Send // by phone, until verified
	nextSweep time.Time
}

type subject struct {
	fields  map[string]int64
	expires time.Time
}

// NewGuard returns empty counters.
func NewGuard() *Guard {
	return &Guard{subjects: map[string]*subject{}, sends: map[string]guardcount.Send{}}
}

func guardKey(kind, key string) string { return kind + "\x00" + key }

// Stats implements ports.GuardCounters.
func (g *Guard) Stats(_ context.Context, s ports.GuardSubject, grace time.Duration, now time.Time) (domain.GuardStats, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	country := g.fields(ports.GuardCountry, s.Country, now)
	ip := g.fields(ports.GuardIP, s.IP, now)
	return domain.GuardStats{
		Country:       guardcount.Summarize(country, grace, now),
		Prefix:        guardcount.Summarize(g.fields(ports.GuardPrefix, s.Prefix, now), grace, now),
		IP:            guardcount.Summarize(ip, grace, now),
		CountryNormal: guardcount.Learned(country, now),
		IPCountries:   guardcount.Countries(ip, s.Country, now),
	}, nil
}

// RecordSend implements ports.GuardCounters.
func (g *Guard) RecordSend(_ context.Context, phone string, s ports.GuardSubject, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweep(now)
	for _, k := range [][2]string{{ports.GuardCountry, s.Country}, {ports.GuardPrefix, s.Prefix}, {ports.GuardIP, s.IP}} {
		sub := g.subject(k[0], k[1], now)
		sub.fields[guardcount.MinuteSent(now)]++
		sub.fields[guardcount.HourSent(now)]++
		if k[0] == ports.GuardIP {
			sub.fields[guardcount.Country(s.Country)] = guardcount.CountryStamp(now)
		}
	}
	g.sends[phone] = guardcount.Send{Subject: [3]string{s.Country, s.Prefix, s.IP}, At: now}
	return nil
}

// RecordVerified implements ports.GuardCounters.
func (g *Guard) RecordVerified(_ context.Context, phone string, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	send, ok := g.sends[phone]
	delete(g.sends, phone)
	if !ok || now.Sub(send.At) > guardcount.SendTTL {
		return nil
	}
	credit := guardcount.CreditVerified(send.At, now)
	for i, kind := range []string{ports.GuardCountry, ports.GuardPrefix, ports.GuardIP} {
		sub, ok := g.subjects[guardKey(kind, send.Subject[i])]
		if !ok {
			continue // reset by an operator meanwhile
		}
		for _, f := range credit {
			sub.fields[f]++
		}
		if kind == ports.GuardCountry {
			sub.fields[guardcount.DayVerified(now)]++
		}
	}
	return nil
}

// Reset implements ports.GuardCounters.
func (g *Guard) Reset(_ context.Context, kind, key string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.subjects, guardKey(kind, key))
	return nil
}

// fields returns a subject's live fields (nil if none). The caller holds mu.
func (g *Guard) fields(kind, key string, now time.Time) map[string]int64 {
	sub, ok := g.subjects[guardKey(kind, key)]
	if !ok || !now.Before(sub.expires) {
		return nil
	}
	return sub.fields
}

// subject returns the subject's hash, created if needed, with its TTL
// renewed. The caller holds mu.
func (g *Guard) subject(kind, key string, now time.Time) *subject {
	ttl := guardcount.SubjectTTL
	if kind == ports.GuardCountry {
		ttl = guardcount.CountryTTL
	}
	k := guardKey(kind, key)
	sub, ok := g.subjects[k]
	if !ok || !now.Before(sub.expires) {
		sub = &subject{fields: map[string]int64{}}
		g.subjects[k] = sub
	}
	sub.expires = now.Add(ttl)
	b := guardcount.BoundsAt(now)
	for f, v := range sub.fields {
		if b.Stale(f, v) {
			delete(sub.fields, f)
		}
	}
	return sub
}

// sweep drops expired subjects and sends. The caller holds mu.
func (g *Guard) sweep(now time.Time) {
	if now.Before(g.nextSweep) {
		return
	}
	g.nextSweep = now.Add(sweepEvery)
	for k, sub := range g.subjects {
		if !now.Before(sub.expires) {
			delete(g.subjects, k)
		}
	}
	for p, s := range g.sends {
		if now.Sub(s.At) > guardcount.SendTTL {
			delete(g.sends, p)
		}
	}
}
