package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/authd/authd/test/services"
)

// tool finds an external program a deployment test needs (podman, helm,
// promtool, systemd-analyze). Absent, the test is skipped with the reason,
// unless AUTHD_TEST_REQUIRE_SERVICES=1 (.ci/run installs them all), where it
// fails: CI must not count a skipped check as a pass.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		// `go install` puts helm here, which need not be on PATH.
		if gopath, gerr := exec.Command("go", "env", "GOPATH").Output(); gerr == nil {
			p := filepath.Join(string(trimNL(gopath)), "bin", name)
			if st, serr := os.Stat(p); serr == nil && !st.IsDir() {
				return p
			}
		}
		if services.Required() {
			t.Fatalf("%s is required (AUTHD_TEST_REQUIRE_SERVICES=1) but not installed (%s): %v", name, install, err)
		}
		t.Skipf("%s not installed, skipping (%s; set AUTHD_TEST_REQUIRE_SERVICES=1 to fail instead)", name, install)
	}
	return path
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// repoRoot is the repository's top directory (the tests run in test/).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found from %s: %v", root, err)
	}
	return root
}
