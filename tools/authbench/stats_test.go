package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 99, 0},
		{"one", ms(7), 50, 7 * time.Millisecond},
		{"p50 of 1..100", ms(hundred...), 50, 50 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the max", ms(hundred...), 100, 100 * time.Millisecond},
		{"p0 is the min", ms(3, 4, 5), 0, 3 * time.Millisecond},
		{"nearest rank rounds up", ms(1, 2, 3), 50, 2 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Fatalf("percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestRecorderAndSummarize(t *testing.T) {
	var counts live
	a, b := newRecorder(4), newRecorder(0)
	a.live = &counts
	a.note(3*time.Millisecond, 202, 202)
	a.note(1*time.Millisecond, 429, 202)
	a.note(2*time.Millisecond, 0, 202)
	b.note(4*time.Millisecond, 202, 202)
	b.note(5*time.Millisecond, 429, 202)
	b.fail("nocode")
	s := summarize([]*recorder{a, b}, 2*time.Second)
	if s.Requests != 5 || s.OK != 2 {
		t.Fatalf("requests %d ok %d, want 5 and 2", s.Requests, s.OK)
	}
	if s.RPS() != 1 {
		t.Fatalf("RPS %v, want 1 (successes per second)", s.RPS())
	}
	if s.P50 != 3*time.Millisecond || s.Max != 5*time.Millisecond {
		t.Fatalf("p50 %v max %v", s.P50, s.Max)
	}
	if got := formatErrors(s.Errors); got != "429:2 net:1 nocode:1" {
		t.Fatalf("errors %q", got)
	}
	if counts.reqs.Load() != 3 || counts.errs.Load() != 2 {
		t.Fatalf("live counts %d/%d, want 3/2", counts.reqs.Load(), counts.errs.Load())
	}
}

func TestFormatErrors(t *testing.T) {
	tests := []struct {
		in   map[string]int
		want string
	}{
		{nil, "-"},
		{map[string]int{"503": 0}, "-"},
		{map[string]int{"503": 1, "429": 3}, "429:3 503:1"},
		{map[string]int{"net": 2, "500": 1, "401": 4}, "401:4 500:1 net:2"},
	}
	for _, tt := range tests {
		if got := formatErrors(tt.in); got != tt.want {
			t.Errorf("formatErrors(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := formatErrors(mergeErrors(map[string]int{"429": 1}, map[string]int{"429": 2, "503": 1})); got != "429:3 503:1" {
		t.Errorf("merged: %q", got)
	}
}
