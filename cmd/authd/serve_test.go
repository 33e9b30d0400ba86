package main

import (
	"bytes"
	"net"
	"strings"
	"testing"
)

// A taken port stops `authd serve` with exit 1 and a message saying what
// failed (it printed nothing).
func TestServeSaysWhyItCannotStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := []string{"AUTHD_DATA_DIR=" + t.TempDir(), "AUTHD_HTTP_ADDR=" + ln.Addr().String()}
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"serve"}, env, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "address already in use") || !strings.Contains(errOut.String(), ln.Addr().String()) {
		t.Fatalf("serve on a taken port: exit %d, stderr %q", code, errOut.String())
	}
}
