package test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// TestDocsPageListsEveryOperation loads GET /docs in headless chromium and
// finds every operation of /openapi.json rendered, with every resource the
// page loaded coming from authd itself (no CDN).
func TestDocsPageListsEveryOperation(t *testing.T) {
	tab := services.Chromium(t, 90*time.Second)
	inst := harness.Start(t, harness.Options{FastPasswords: true})

	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(inst.Client(t).Get("/openapi.json").Raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // operationId: summary
	for path, item := range doc.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op struct {
				OperationID string `json:"operationId"`
				Summary     string `json:"summary"`
			}
			if err := json.Unmarshal(raw, &op); err != nil || op.OperationID == "" || op.Summary == "" {
				t.Fatalf("%s %s: operation without operationId or summary: %s", method, path, raw)
			}
			want[op.OperationID] = op.Summary
		}
	}

	if err := chromedp.Do(tab, chromedp.Navigate(inst.URL+"/docs")); err != nil {
		t.Fatal(err)
	}
	// Redoc lists each operation by its summary once it has rendered the
	// document; wait for all of them (bounded).
	var missing []string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		text, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.body.textContent`))
		if err != nil {
			t.Fatal(err)
		}
		missing = missing[:0]
		for id, summary := range want {
			if !strings.Contains(text, summary) {
				missing = append(missing, id+" ("+summary+")")
			}
		}
		if len(missing) == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("/docs does not list %d of %d operations: %s", len(missing), len(want), strings.Join(missing, ", "))
	}
	resources, err := chromedp.Run(tab, chromedp.Evaluate[[]string](
		`performance.getEntriesByType("resource").map(e => e.name)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(resources) == 0 {
		t.Fatal("the page loaded no resources (expected its script and /openapi.json)")
	}
	if csp := inst.Client(t).Get("/docs").Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("/docs Content-Security-Policy = %q, want outside hosts refused", csp)
	}
	for _, r := range resources {
		switch {
		case strings.HasPrefix(r, inst.URL+"/"), strings.HasPrefix(r, "data:"), strings.HasPrefix(r, "blob:"):
		default:
			t.Errorf("/docs loaded %s from outside authd", r)
		}
	}
}
