package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// regressionLimit is the throughput loss against the previous run that the
// comparison names as a regression (issue 15: named in the closing note
// with its cause).
const regressionLimit = 0.10

// readReport loads an earlier --json file.
func readReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &rep, nil
}

// WriteComparison prints, per scenario measured in both runs, the change
// of throughput, p99 at the low concurrency and peak RSS against prev, and
// names every throughput loss over regressionLimit. Figures from another
// day on a shared machine move by tens of percent: read a regression as a
// prompt to measure again in one run, not as a verdict.
func (rep *Report) WriteComparison(w io.Writer, prev *Report, prevName string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nagainst %s (%s, %s, %s):\n\n", prevName, prev.Backend, prev.GoVersion, prev.Date.Format("2006-01-02 15:04"))
	old := map[string]*Row{}
	for _, r := range prev.Rows {
		old[r.Scenario] = r
	}
	rows := [][]string{{"scenario", "req/s before", "req/s now", "change", "p99@low before", "p99@low now", "RSS before", "RSS now"}}
	var regressions []string
	for _, r := range rep.Rows {
		o, ok := old[r.Scenario]
		if !ok || len(o.Passes) == 0 || len(r.Passes) == 0 {
			continue
		}
		change := "n/a"
		if o.RPS > 0 {
			d := r.RPS/o.RPS - 1
			change = fmt.Sprintf("%+.0f%%", 100*d)
			if d < -regressionLimit {
				change += " !"
				regressions = append(regressions, fmt.Sprintf("%s %.0f -> %.0f req/s (%+.0f%%)", r.Scenario, o.RPS, r.RPS, 100*d))
			}
		}
		mib := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
		rows = append(rows, []string{r.Scenario, strconv.FormatFloat(o.RPS, 'f', 0, 64), strconv.FormatFloat(r.RPS, 'f', 0, 64), change,
			optional(o.P99LowMs, fmtMs), optional(r.P99LowMs, fmtMs), optional(o.RSSMiB, mib), optional(r.RSSMiB, mib)})
	}
	if len(rows) == 1 {
		fmt.Fprintln(&b, "no scenario in common")
	} else {
		writeMarkdown(&b, rows)
	}
	for _, s := range regressions {
		fmt.Fprintf(&b, "REGRESSION over %.0f%%: %s\n", 100*regressionLimit, s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
