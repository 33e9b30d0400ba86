package main

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// recorder is one worker's tally: every request's latency in a slice
// preallocated for the run (merged and sorted once at the end, cheap at
// these rates) and the unexpected statuses.
type recorder struct {
	lat    []time.Duration
	ok     int
	errors map[string]int // "429", "503", or "net" for transport errors
	live   *live          // shared counters for the progress line; may be nil
}

func newRecorder(capacity int) *recorder {
	return &recorder{lat: make([]time.Duration, 0, capacity), errors: map[string]int{}}
}

// note records one finished request; status 0 means a transport error.
func (r *recorder) note(d time.Duration, status, want int) bool {
	r.lat = append(r.lat, d)
	if r.live != nil {
		r.live.reqs.Add(1)
	}
	if status == want {
		r.ok++
		return true
	}
	key := "net"
	if status != 0 {
		key = strconv.Itoa(status)
	}
	r.fail(key)
	return false
}

// fail counts an error that is not a response status ("nocode").
func (r *recorder) fail(key string) {
	r.errors[key]++
	if r.live != nil {
		r.live.errs.Add(1)
	}
}

// summary is what one timed pass measured.
type summary struct {
	Requests int
	OK       int
	Elapsed  time.Duration
	P50      time.Duration
	P99      time.Duration
	Max      time.Duration
	Errors   map[string]int
}

// RPS is successful responses per second: a pass answering fast 429s must
// not look fast.
func (s summary) RPS() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.OK) / s.Elapsed.Seconds()
}

// summarize merges the workers' recorders.
func summarize(recs []*recorder, elapsed time.Duration) summary {
	s := summary{Elapsed: elapsed, Errors: map[string]int{}}
	var all []time.Duration
	for _, r := range recs {
		all = append(all, r.lat...)
		s.OK += r.ok
		for k, n := range r.errors {
			s.Errors[k] += n
		}
	}
	s.Requests = len(all)
	slices.Sort(all)
	s.P50, s.P99 = percentile(all, 50), percentile(all, 99)
	if len(all) > 0 {
		s.Max = all[len(all)-1]
	}
	return s
}

// percentile is the nearest-rank percentile of sorted durations; 0 for none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// formatErrors renders a tally as "429:3 503:1" (numeric statuses first,
// in order), or "-" when there is none.
func formatErrors(errs map[string]int) string {
	keys := make([]string, 0, len(errs))
	for k, n := range errs {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "-"
	}
	sort.Slice(keys, func(i, j int) bool {
		a, aerr := strconv.Atoi(keys[i])
		b, berr := strconv.Atoi(keys[j])
		if (aerr == nil) != (berr == nil) {
			return aerr == nil
		}
		if aerr == nil {
			return a < b
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ":" + strconv.Itoa(errs[k])
	}
	return strings.Join(parts, " ")
}

// mergeErrors adds b's counts into a.
func mergeErrors(a, b map[string]int) map[string]int {
	if a == nil {
		a = map[string]int{}
	}
	for k, n := range b {
		a[k] += n
	}
	return a
}
