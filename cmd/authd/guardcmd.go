package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/app"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

const guardUsage = "usage: authd guard status [--since 24h] | authd guard unblock --country CC | --prefix +E164PREFIX | --ip ADDR"

// guardCommand is `authd guard status` (recent decisions by country,
// prefix and IP, with their live counts and whether they are blocked now)
// and `authd guard unblock` (forget one subject's counts).
func guardCommand(ctx context.Context, s wiring.Settings, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError(guardUsage)
	}
	fs := flag.NewFlagSet("guard "+args[0], flag.ContinueOnError)
	fs.SetOutput(stdout)
	since := fs.Duration("since", 24*time.Hour, "decisions of this last period")
	country := fs.String("country", "", "ISO region to unblock")
	prefix := fs.String("prefix", "", "number prefix to unblock, as status prints it")
	ip := fs.String("ip", "", "client IP (or IPv6 /64, as status prints it) to unblock")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(err.Error())
	}
	switch args[0] {
	case "status":
		return guardStatus(ctx, s, *since, stdout)
	case "unblock":
		kind, key := "", ""
		for k, v := range map[string]string{ports.GuardCountry: *country, ports.GuardPrefix: *prefix, ports.GuardIP: *ip} {
			if v != "" {
				if kind != "" {
					return usageError("unblock one subject at a time")
				}
				kind, key = k, v
			}
		}
		if kind == "" {
			return usageError(guardUsage)
		}
		counters, closeFn, err := guardCounters(s)
		if err != nil {
			return err
		}
		defer closeFn()
		if err := counters.Reset(ctx, kind, key); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s: counts forgotten; its next send is judged afresh\n", kind, key)
		return nil
	}
	return usageError(guardUsage)
}

// guardCounters connects to the shared counters. The in-process store
// lives inside the server and cannot be reached from here.
func guardCounters(s wiring.Settings) (ports.GuardCounters, func(), error) {
	if s.RedisURL == "" {
		return nil, nil, errors.New("the guard's counters are in the server's memory (no AUTHD_REDIS_URL): restart it to forget them")
	}
	st, err := rediscode.New(rediscode.Config{URL: s.RedisURL, KeyPrefix: s.RedisKeyPrefix})
	if err != nil {
		return nil, nil, err
	}
	return rediscode.NewGuard(st), st.Close, nil
}

func guardStatus(ctx context.Context, s wiring.Settings, since time.Duration, stdout io.Writer) error {
	st, err := openStore(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckSchema(ctx); err != nil {
		return err
	}
	now := time.Now().UTC()
	ds, err := st.Decisions(ctx, now.Add(-since), 100000)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "guard mode %s; %d decisions other than allow since %s\n", s.SMSGuard, len(ds), now.Add(-since).Format(time.RFC3339))
	var counters ports.GuardCounters
	if c, closeFn, err := guardCounters(s); err == nil {
		counters = c
		defer closeFn()
	}
	cfg, err := wiring.GuardConfig(s)
	if err != nil {
		return err
	}
	for _, kind := range []string{ports.GuardCountry, ports.GuardPrefix, ports.GuardIP} {
		fmt.Fprintf(stdout, "\ntop %s by decisions:\n", kind)
		for _, t := range topSubjects(ds, kind, 10) {
			fmt.Fprintf(stdout, "  %-20s %5d blocked %5d challenged  last rule %s", t.key, t.blocked, t.challenged, t.rule)
			if counters != nil {
				guardLive(ctx, counters, cfg, kind, t.key, now, stdout)
			}
			fmt.Fprintln(stdout)
		}
	}
	return nil
}

// guardLive prints a subject's live windows and whether its own rules
// block it now.
func guardLive(ctx context.Context, c ports.GuardCounters, cfg app.GuardConfig, kind, key string, now time.Time, w io.Writer) {
	subj := ports.GuardSubject{Country: "-", Prefix: "-", IP: "-"}
	var stats domain.GuardStats
	pick := func(all domain.GuardStats) domain.GuardCounts {
		switch kind {
		case ports.GuardCountry:
			return all.Country
		case ports.GuardPrefix:
			return all.Prefix
		}
		return all.IP
	}
	switch kind {
	case ports.GuardCountry:
		subj.Country = key
	case ports.GuardPrefix:
		subj.Prefix = key
	default:
		subj.IP = key
	}
	all, err := c.Stats(ctx, subj, cfg.Grace, now)
	if err != nil {
		fmt.Fprintf(w, "  (counts: %v)", err)
		return
	}
	counts := pick(all)
	switch kind {
	case ports.GuardCountry:
		stats.Country, stats.CountryNormal = counts, all.CountryNormal
	case ports.GuardPrefix:
		stats.Prefix = counts
	default:
		stats.IP = counts
	}
	stats.IPCountries = 1
	v := cfg.Policy.Evaluate(stats)
	fmt.Fprintf(w, "  hour %d sent %d unverified, day %d sent %d unverified  now: %s %s",
		counts.Hour.Sent, counts.Hour.Unverified, counts.Day.Sent, counts.Day.Unverified, v.Action, v.Rule)
}

type guardTop struct {
	key                 string
	blocked, challenged int
	rule                string
}

// topSubjects counts decisions per subject of one kind, most first.
func topSubjects(ds []domain.GuardDecision, kind string, n int) []guardTop {
	by := map[string]*guardTop{}
	for _, d := range ds { // newest first: the first rule seen is the last one
		key := map[string]string{ports.GuardCountry: d.Country, ports.GuardPrefix: d.Prefix, ports.GuardIP: d.IP}[kind]
		t, ok := by[key]
		if !ok {
			t = &guardTop{key: key, rule: d.Rule}
			by[key] = t
		}
		if d.Action == domain.GuardBlock {
			t.blocked++
		} else {
			t.challenged++
		}
	}
	out := make([]guardTop, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].blocked+out[i].challenged, out[j].blocked+out[j].challenged
		return a > b || (a == b && out[i].key < out[j].key)
	})
	return out[:min(n, len(out))]
}
