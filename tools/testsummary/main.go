// Command testsummary reads `go test -json` on standard input and prints what a
// reader of a CI log needs: each package's result line, the output of every
// failed test, every skipped test with its reason (so a service suite that
// skipped cannot pass unnoticed), and a closing "N passed, N failed, N
// skipped" line. It exits 1 if anything failed or no test ran.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

type tally struct {
	passed, failed, skipped int
	services                map[string]int // passed tests per real service, by package and test name
	skips                   []string
	pkgFailed               bool
}

func main() {
	t, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "summary:", err)
		os.Exit(1)
	}
	if t.failed > 0 || t.pkgFailed || t.passed == 0 {
		os.Exit(1)
	}
}

func summarize(in io.Reader, out io.Writer) (tally, error) {
	t := tally{services: map[string]int{}}
	outputs := map[string][]string{} // package/test -> output lines
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			fmt.Fprintln(out, string(line)) // build errors arrive as plain text
			continue
		}
		key := e.Package + "/" + e.Test
		switch {
		case e.Action == "output" && e.Test == "":
			if s := e.Output; strings.HasPrefix(s, "ok ") || strings.HasPrefix(s, "FAIL") ||
				strings.HasPrefix(s, "?") || strings.HasPrefix(s, "panic") || strings.Contains(s, "[build failed]") {
				fmt.Fprint(out, s)
			}
		case e.Action == "output":
			outputs[key] = append(outputs[key], e.Output)
		case e.Action == "pass" && e.Test != "":
			t.passed++
			for _, svc := range serviceNames {
				if strings.Contains(strings.ToLower(e.Package+"/"+e.Test), svc) {
					t.services[svc]++
				}
			}
			delete(outputs, key)
		case e.Action == "fail" && e.Test != "":
			t.failed++
			fmt.Fprintf(out, "--- FAIL: %s (%s)\n%s", e.Test, e.Package, strings.Join(outputs[key], ""))
			delete(outputs, key)
		case e.Action == "fail", e.Action == "build-fail":
			t.pkgFailed = true
		case e.Action == "build-output":
			fmt.Fprint(out, e.Output)
		case e.Action == "skip" && e.Test != "":
			t.skipped++
			t.skips = append(t.skips, fmt.Sprintf("%s %s: %s", e.Package, e.Test, skipReason(outputs[key])))
			delete(outputs, key)
		}
	}
	if err := sc.Err(); err != nil {
		return t, err
	}
	if len(t.skips) > 0 {
		sort.Strings(t.skips)
		fmt.Fprintln(out, "skipped tests:")
		for _, s := range t.skips {
			fmt.Fprintln(out, "  "+s)
		}
	}
	fmt.Fprint(out, "passed tests on real services:")
	for _, svc := range serviceNames {
		fmt.Fprintf(out, " %s %d", svc, t.services[svc])
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "%d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped)
	return t, nil
}

// serviceNames are the words the service suites put in their test names.
var serviceNames = []string{"postgres", "redis", "cluster"}

// skipReason is the message t.Skip printed, without go test's framing.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		s := strings.TrimSpace(lines[i])
		if s != "" && !strings.HasPrefix(s, "--- SKIP") && !strings.HasPrefix(s, "=== ") {
			return s
		}
	}
	return "(no reason given)"
}
