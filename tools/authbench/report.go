package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Report is one authbench run, as the table and as --json.
type Report struct {
	Backend        string    `json:"backend"`
	URL            string    `json:"url,omitempty"`
	Concurrency    int       `json:"concurrency"`
	ConcurrencyP99 int       `json:"concurrency_p99"`
	Duration       string    `json:"duration"`
	GoVersion      string    `json:"go_version"`
	NumCPU         int       `json:"num_cpu"`
	Date           time.Time `json:"date"`
	Argon2PerSec   *float64  `json:"argon2id_hashes_per_sec,omitempty"`
	Rows           []*Row    `json:"rows"`
	Targets        []Target  `json:"targets"`
}

// Row is one scenario: throughput and latency at Concurrency, p99 at
// ConcurrencyP99, errors of both passes, the server's peak RSS over both.
type Row struct {
	Scenario   string         `json:"scenario"`
	Summary    string         `json:"summary"`
	RPS        float64        `json:"req_per_sec"`
	P50Ms      float64        `json:"p50_ms"`
	P99Ms      float64        `json:"p99_ms"`
	MaxMs      float64        `json:"max_ms"`
	P99LowMs   *float64       `json:"p99_ms_at_concurrency_p99,omitempty"`
	Errors     map[string]int `json:"errors"`
	RSSMiB     *float64       `json:"server_peak_rss_mib,omitempty"`
	Floor      string         `json:"floor,omitempty"`
	FloorRatio *float64       `json:"floor_ratio,omitempty"`
	Notes      []string       `json:"notes,omitempty"`
	Passes     []Pass         `json:"passes"`
}

// Pass is one timed run of a row's scenario.
type Pass struct {
	Concurrency int            `json:"concurrency"`
	Requests    int            `json:"requests"`
	OK          int            `json:"ok"`
	ElapsedSec  float64        `json:"elapsed_sec"`
	RPS         float64        `json:"req_per_sec"`
	P50Ms       float64        `json:"p50_ms"`
	P99Ms       float64        `json:"p99_ms"`
	MaxMs       float64        `json:"max_ms"`
	Errors      map[string]int `json:"errors"`
	PoolDry     bool           `json:"pool_ran_dry,omitempty"`
	RSSMiB      *float64       `json:"server_peak_rss_mib,omitempty"`
	Vendor      *VendorUse     `json:"vendor,omitempty"`
}

// VendorUse is what the vendor stub saw during a timed pass: how many sends
// reached it over how many new connections.
type VendorUse struct {
	Vendor      string  `json:"vendor"`
	Sends       int64   `json:"sends"`
	Connections int64   `json:"connections"`
	PerThousand float64 `json:"connections_per_1000_sends"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func newPass(conc int, s summary, dry bool) Pass {
	return Pass{Concurrency: conc, Requests: s.Requests, OK: s.OK, ElapsedSec: s.Elapsed.Seconds(), RPS: s.RPS(),
		P50Ms: ms(s.P50), P99Ms: ms(s.P99), MaxMs: ms(s.Max), Errors: s.Errors, PoolDry: dry}
}

// add folds a pass into the row: the first pass gives throughput and
// latency, a later one at lower concurrency the p99 column.
func (r *Row) add(p Pass) {
	r.Passes = append(r.Passes, p)
	r.Errors = mergeErrors(r.Errors, p.Errors)
	if len(r.Passes) == 1 {
		r.RPS, r.P50Ms, r.P99Ms, r.MaxMs = p.RPS, p.P50Ms, p.P99Ms, p.MaxMs
	} else {
		v := p.P99Ms
		r.P99LowMs = &v
	}
	if p.RSSMiB != nil && (r.RSSMiB == nil || *p.RSSMiB > *r.RSSMiB) {
		v := *p.RSSMiB
		r.RSSMiB = &v
	}
	if p.PoolDry {
		r.Notes = append(r.Notes, fmt.Sprintf("c=%d: the prepared pool ran dry after %.1fs (raise --pool-rate)", p.Concurrency, p.ElapsedSec))
	}
}

func (r *Row) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// fmtMs prints milliseconds with a precision fit for their size.
func fmtMs(v float64) string {
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func optional(v *float64, f func(float64) string) string {
	if v == nil {
		return "n/a"
	}
	return f(*v)
}

// WriteTable prints the report as a Markdown table, then the notes and the
// issue's targets.
func (rep *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	hi, lo := strconv.Itoa(rep.Concurrency), strconv.Itoa(rep.ConcurrencyP99)
	if rep.ConcurrencyP99 == 0 {
		lo = "-"
	}
	header := []string{"scenario", "req/s@" + hi, "p50@" + hi + " ms", "p99@" + hi + " ms", "max@" + hi + " ms",
		"p99@" + lo + " ms", "errors", "peak RSS MiB", "vs floor"}
	rows := [][]string{header}
	for _, r := range rep.Rows {
		ratio := "-"
		if r.Floor != "" {
			ratio = optional(r.FloorRatio, func(v float64) string { return fmt.Sprintf("%.0f%% of %s", 100*v, r.Floor) })
		}
		if len(r.Passes) == 0 {
			rows = append(rows, []string{r.Scenario, "n/a", "n/a", "n/a", "n/a", "n/a", "-", "n/a", ratio})
			continue
		}
		rows = append(rows, []string{r.Scenario, strconv.FormatFloat(r.RPS, 'f', 0, 64), fmtMs(r.P50Ms), fmtMs(r.P99Ms), fmtMs(r.MaxMs),
			optional(r.P99LowMs, fmtMs), formatErrors(r.Errors), optional(r.RSSMiB, func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }),
			ratio})
	}
	if rep.Argon2PerSec != nil {
		rows = append(rows, []string{"argon2id-raw", strconv.FormatFloat(*rep.Argon2PerSec, 'f', 0, 64), "-", "-", "-", "-", "-", "-", "-"})
	}
	fmt.Fprintf(&b, "authbench: backend %s, concurrency %d (p99 pass %d), %s per pass, %s, %d CPUs, %s\n\n",
		rep.Backend, rep.Concurrency, rep.ConcurrencyP99, rep.Duration, rep.GoVersion, rep.NumCPU, rep.Date.Format(time.RFC3339))
	writeMarkdown(&b, rows)
	b.WriteString("\n")
	for _, r := range rep.Rows {
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "note: %s: %s\n", r.Scenario, n)
		}
	}
	if len(rep.Targets) > 0 {
		fmt.Fprintln(&b, "\ntargets (issues 5 and 15):")
		for _, t := range rep.Targets {
			fmt.Fprintf(&b, "  %-16s %-26s %10s  %s\n", t.Scenario, t.Metric, t.Value, t.verdict())
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeMarkdown pads the cells so the table reads in a terminal too;
// the first column is left-aligned, the others right-aligned.
func writeMarkdown(w *strings.Builder, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len(c), 3)
		}
	}
	line := func(cells []string) {
		w.WriteString("|")
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-len(c))
			if i == 0 {
				w.WriteString(" " + c + pad + " |")
			} else {
				w.WriteString(" " + pad + c + " |")
			}
		}
		w.WriteString("\n")
	}
	line(rows[0])
	sep := make([]string, len(widths))
	for i, n := range widths {
		sep[i] = strings.Repeat("-", n)
		if i > 0 {
			sep[i] = strings.Repeat("-", n-1) + ":"
		}
	}
	line(sep)
	for _, row := range rows[1:] {
		line(row)
	}
}

// WriteJSON writes the report to path.
func (rep *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
