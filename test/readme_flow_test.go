package test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// TestReadmeCurlFlow runs the README's curl block as pasted, twice, against
// an instance on the embedded default with the console provider: the block
// must read the code from the admin listener and work again on a second run.
func TestReadmeCurlFlow(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			services.Unreachable(t, tool+" (the README's curl flow needs it)", err)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Log in with curl")
	_, block, ok2 := strings.Cut(section, "```sh\n")
	block, _, ok3 := strings.Cut(block, "```")
	const addrs = "API=localhost:8080 ADMIN=localhost:8081"
	if !ok || !ok2 || !ok3 || !strings.Contains(block, addrs) {
		t.Fatalf("README has no curl block with %q", addrs)
	}
	inst := harness.Start(t, harness.Options{RealSMS: true, FastPasswords: true})
	block = strings.Replace(block, addrs, "API="+strings.TrimPrefix(inst.URL, "http://")+
		" ADMIN="+strings.TrimPrefix(inst.AdminURL, "http://"), 1)
	for run := 1; run <= 2; run++ {
		out, err := exec.Command("bash", "-c", block).CombinedOutput()
		text := string(out)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, text)
		}
		for _, want := range []string{`"purpose":"login"`, `"created": true`, `"token_type": "Bearer"`} {
			if !strings.Contains(text, want) {
				t.Errorf("run %d: output lacks %s:\n%s", run, want, text)
			}
		}
		if n := strings.Count(text, "204\n"); n != 2 {
			t.Errorf("run %d: %d answers 204, want 2 (set password, log out):\n%s", run, n, text)
		}
		if !regexp.MustCompile(`(?m)^code [0-9]{6}$`).MatchString(text) || strings.Contains(text, `"code":`) {
			t.Errorf("run %d: no code read, or a problem answer:\n%s", run, text)
		}
	}
}
