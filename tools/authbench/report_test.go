package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sampleReport() *Report {
	rep := &Report{Backend: "embedded", Concurrency: 32, ConcurrencyP99: 8, Duration: "5s", GoVersion: "go1.26",
		NumCPU: 2, Date: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	code := &Row{Scenario: "request-code", Floor: "floor-request-code"}
	code.add(Pass{Concurrency: 32, RPS: 4000, P50Ms: 5.123, P99Ms: 31.25, MaxMs: 120, Errors: map[string]int{"429": 3}, RSSMiB: ptr(40.0)})
	code.add(Pass{Concurrency: 8, RPS: 3500, P99Ms: 9.5, Errors: map[string]int{"503": 1}, RSSMiB: ptr(42.5), PoolDry: true, ElapsedSec: 3.2})
	floor := &Row{Scenario: "floor-request-code"}
	floor.add(Pass{Concurrency: 32, RPS: 8000, P50Ms: 1, P99Ms: 5, MaxMs: 9})
	pw := &Row{Scenario: "password-login", Floor: "argon2id-raw"}
	pw.add(Pass{Concurrency: 32, RPS: 40, P99Ms: 800, RSSMiB: ptr(130.0)})
	rep.Rows = []*Row{code, pw}
	rep.Argon2PerSec = ptr(50.0)
	return finish(rep, []*Row{floor}, map[string]*Row{"floor-request-code": floor})
}

func ptr(v float64) *float64 { return &v }

func TestRowAdd(t *testing.T) {
	r := sampleReport().Rows[0]
	if r.RPS != 4000 || r.P99Ms != 31.25 || r.P99LowMs == nil || *r.P99LowMs != 9.5 {
		t.Fatalf("row %+v", r)
	}
	if *r.RSSMiB != 42.5 {
		t.Fatalf("RSS %v, want the larger pass", *r.RSSMiB)
	}
	if formatErrors(r.Errors) != "429:3 503:1" {
		t.Fatalf("errors %v", r.Errors)
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "ran dry after 3.2s") {
		t.Fatalf("notes %q", r.Notes)
	}
	if r.FloorRatio == nil || *r.FloorRatio != 0.5 {
		t.Fatalf("floor ratio %v", r.FloorRatio)
	}
}

func TestWriteTable(t *testing.T) {
	var b strings.Builder
	sampleReport().WriteTable(&b)
	out := b.String()
	for _, want := range []string{
		"| scenario           | req/s@32 | p50@32 ms | p99@32 ms | max@32 ms | p99@8 ms |      errors | peak RSS MiB |",
		"| request-code       |     4000 |      5.12 |      31.2 |       120 |     9.50 | 429:3 503:1 |         42.5 | 50% of floor-request-code |",
		"| password-login     |       40 |      0.00 |       800 |      0.00 |      n/a |           - |        130.0 |       80% of argon2id-raw |",
		"| argon2id-raw       |       50 |",
		"note: request-code: c=8: the prepared pool ran dry",
		"request-code     >= 40% of floor",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(out, "\n")
	var width int
	for _, l := range lines {
		if strings.HasPrefix(l, "|") {
			if width == 0 {
				width = len(l)
			} else if len(l) != width {
				t.Errorf("ragged table line %q", l)
			}
		}
	}
}

func TestTargets(t *testing.T) {
	rep := sampleReport()
	verdicts := map[string]string{}
	for _, tg := range rep.Targets {
		verdicts[tg.Scenario+" "+tg.Metric] = tg.verdict()
	}
	for k, want := range map[string]string{
		"request-code >= 5000 req/s":            "NOT MET",
		"request-code >= 40% of floor":          "met",
		"request-code p99@8 <= 10 ms":           "met",
		"request-code RSS <= 55 MiB":            "met",
		"password-login >= 80% of raw argon2id": "met",
		"password-login RSS <= 128 MiB":         "NOT MET",
	} {
		if verdicts[k] != want {
			t.Errorf("%s: %q, want %q (all: %v)", k, verdicts[k], want, verdicts)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.json")
	if err := sampleReport().WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Backend string `json:"backend"`
		NumCPU  int    `json:"num_cpu"`
		Rows    []struct {
			Scenario string         `json:"scenario"`
			Errors   map[string]int `json:"errors"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Backend != "embedded" || got.NumCPU != 2 || len(got.Rows) != 3 || got.Rows[0].Errors["429"] != 3 {
		t.Fatalf("%+v", got)
	}
}

func TestParseFlags(t *testing.T) {
	cfg, err := parseFlags([]string{"--scenarios", "me, refresh", "--duration", "2s"})
	if err != nil || !cfg.selected("me") || !cfg.selected("refresh") || cfg.selected("mixed") || cfg.duration != 2*time.Second {
		t.Fatalf("%+v, %v", cfg, err)
	}
	for _, bad := range [][]string{{"--scenarios", "nope"}, {"--backend", "mysql"}, {"--concurrency", "0"}, {"extra"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}
