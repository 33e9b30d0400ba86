package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestVendorRowIsComparedWithTheConsoleRow: the vendor path's ratio is to
// the console request-code of the same run, and its target reads it.
func TestVendorRowIsComparedWithTheConsoleRow(t *testing.T) {
	code := &Row{Scenario: "request-code", Floor: "floor-request-code"}
	code.add(Pass{Concurrency: 32, RPS: 5000})
	vendor := &Row{Scenario: "request-code-vendor", Floor: "request-code"}
	vendor.add(Pass{Concurrency: 32, RPS: 3500})
	rep := finish(&Report{Concurrency: 32}, nil, nil)
	rep.Rows = []*Row{code, vendor}
	rep = finish(rep, nil, nil)
	if vendor.FloorRatio == nil || *vendor.FloorRatio != 0.7 {
		t.Fatalf("vendor ratio %v, want 0.7", vendor.FloorRatio)
	}
	var met *bool
	for _, tg := range rep.Targets {
		if tg.Scenario == "request-code-vendor" && strings.Contains(tg.Metric, "60%") {
			met = tg.Met
		}
	}
	if met == nil || !*met {
		t.Fatalf("vendor target not met at 70%%: %+v", rep.Targets)
	}
}

func TestWriteComparison(t *testing.T) {
	prev := sampleReport()
	path := filepath.Join(t.TempDir(), "prev.json")
	if err := prev.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	old, err := readReport(path)
	if err != nil {
		t.Fatal(err)
	}
	cur := sampleReport()
	cur.Rows[0].RPS = 3000 // request-code: 4000 -> 3000, a 25% loss
	cur.Rows[1].RPS = 44   // password-login: 40 -> 44
	var b strings.Builder
	if err := cur.WriteComparison(&b, old, "prev.json"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"| request-code ", "-25% !", "+10%", "REGRESSION over 10%: request-code 4000 -> 3000 req/s (-25%)"} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "REGRESSION over 10%: password-login") {
		t.Errorf("a gain named as a regression:\n%s", out)
	}
	if _, err := readReport(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file read without error")
	}
}
