package main

import (
	"fmt"
	"strconv"
)

// Target is one of issue 5's or 15's goals, checked against a report.
type Target struct {
	Scenario string `json:"scenario"`
	Metric   string `json:"metric"`
	Value    string `json:"value"`
	Met      *bool  `json:"met,omitempty"` // nil: not measured
}

func (t Target) verdict() string {
	switch {
	case t.Met == nil:
		return "not measured"
	case *t.Met:
		return "met"
	}
	return "NOT MET"
}

// goal is a target before measurement: get extracts the value from a row.
type goal struct {
	scenario, metric string
	limit            float64
	atLeast          bool
	get              func(r *Row, rep *Report) *float64
	unit             string
}

func rps(r *Row, _ *Report) *float64 {
	if len(r.Passes) == 0 {
		return nil
	}
	return &r.RPS
}
func p99Low(r *Row, _ *Report) *float64 { return r.P99LowMs }
func rss(r *Row, _ *Report) *float64    { return r.RSSMiB }
func ratio(r *Row, _ *Report) *float64  { return r.FloorRatio }

// goals are issue 5's and 15's targets: throughput at c=32, p99 at c=8, RSS.
var goals = []goal{
	{"request-code", ">= 5000 req/s", 5000, true, rps, ""},
	{"request-code", ">= 40% of floor", 0.40, true, ratio, "%"},
	{"request-code", "p99@8 <= 10 ms", 10, false, p99Low, "ms"},
	{"request-code-vendor", ">= 60% of request-code", 0.60, true, ratio, "%"},
	{"login-new", ">= 2000 req/s", 2000, true, rps, ""},
	{"login-new", ">= 60% of floor", 0.60, true, ratio, "%"},
	{"login-new", "p99@8 <= 20 ms", 20, false, p99Low, "ms"},
	{"login-returning", ">= 2000 req/s", 2000, true, rps, ""},
	{"login-returning", "p99@8 <= 20 ms", 20, false, p99Low, "ms"},
	{"refresh", ">= 2000 req/s", 2000, true, rps, ""},
	{"refresh", "p99@8 <= 20 ms", 20, false, p99Low, "ms"},
	{"me", ">= 5000 req/s", 5000, true, rps, ""},
	{"me", "p99@8 <= 10 ms", 10, false, p99Low, "ms"},
	{"password-login", ">= 80% of raw argon2id", 0.80, true, ratio, "%"},
	{"password-login", "RSS <= 128 MiB", 128, false, rss, "MiB"},
}

// rssLimit applies to every other authd scenario (issue 15; issue 5 had 48).
const rssLimit = 55

// evaluate checks the goals of the rows present in the report.
func evaluate(rep *Report) []Target {
	byName := map[string]*Row{}
	for _, r := range rep.Rows {
		byName[r.Scenario] = r
	}
	var out []Target
	check := func(g goal, r *Row) {
		t := Target{Scenario: g.scenario, Metric: g.metric, Value: "n/a"}
		if v := g.get(r, rep); v != nil {
			met := (g.atLeast && *v >= g.limit) || (!g.atLeast && *v <= g.limit)
			t.Met = &met
			t.Value = formatValue(*v, g.unit)
		}
		out = append(out, t)
	}
	for _, s := range scenarios {
		r, ok := byName[s.name]
		if !ok {
			continue
		}
		for _, g := range goals {
			if g.scenario == s.name {
				check(g, r)
			}
		}
		if s.name != "password-login" {
			check(goal{s.name, fmt.Sprintf("RSS <= %d MiB", rssLimit), rssLimit, false, rss, "MiB"}, r)
		}
	}
	return out
}

func formatValue(v float64, unit string) string {
	switch unit {
	case "%":
		return strconv.FormatFloat(100*v, 'f', 0, 64) + "%"
	case "ms":
		return fmtMs(v) + " ms"
	case "MiB":
		return strconv.FormatFloat(v, 'f', 1, 64) + " MiB"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}
