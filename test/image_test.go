package test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
)

// TestContainerImage builds the image with `make image` (static binary,
// FROM scratch, podman), runs it the way this machine can (runc; crun
// refuses the hybrid cgroups here; bounded ulimits), and logs in through
// it: a code requested on the published port, read from the console
// provider's line in the container log, exchanged for a session, /v1/me.
func TestContainerImage(t *testing.T) {
	podman := tool(t, "podman", "apt-get install podman runc")
	tool(t, "runc", "apt-get install runc")
	root := repoRoot(t)
	image := fmt.Sprintf("localhost/authd:test-%d", time.Now().UnixNano())
	name := fmt.Sprintf("authd-test-%d", time.Now().UnixNano())

	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	run := func(name string, args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("make", "image", "IMAGE="+image); err != nil {
		t.Fatalf("make image: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(podman, "rmi", "-f", image).Run() })

	t.Run("image config", func(t *testing.T) {
		out, err := run(podman, "image", "inspect", image)
		if err != nil {
			t.Fatalf("inspect: %v\n%s", err, out)
		}
		var info []struct {
			Config struct {
				User         string
				ExposedPorts map[string]struct{}
				Volumes      map[string]struct{}
				Env          []string
				Entrypoint   []string
			}
			HealthCheck *struct{ Test []string }
		}
		if err := json.Unmarshal([]byte(out), &info); err != nil || len(info) != 1 {
			t.Fatalf("inspect output: %v\n%s", err, out)
		}
		c := info[0].Config
		if c.User != "65532:65532" {
			t.Errorf("user %q, want the numeric non-root 65532:65532", c.User)
		}
		for _, p := range []string{"8080/tcp", "8081/tcp"} {
			if _, ok := c.ExposedPorts[p]; !ok {
				t.Errorf("port %s not exposed: %v", p, c.ExposedPorts)
			}
		}
		if _, ok := c.Volumes["/data"]; !ok {
			t.Errorf("volumes %v, want /data", c.Volumes)
		}
		env := strings.Join(c.Env, " ")
		for _, want := range []string{"AUTHD_DATA_DIR=/data", "AUTHD_HTTP_ADDR=:8080", "AUTHD_ADMIN_ADDR=:8081"} {
			if !strings.Contains(env, want) {
				t.Errorf("env %v lacks %s", c.Env, want)
			}
		}
		if hc := info[0].HealthCheck; hc == nil || !strings.Contains(strings.Join(hc.Test, " "), "authd healthcheck") {
			t.Errorf("healthcheck %+v, want `authd healthcheck`", hc)
		}
	})

	port := freePort(t)
	args := []string{"--runtime", "runc", "run", "-d", "--name", name,
		"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000",
		"-p", fmt.Sprintf("127.0.0.1:%d:8080", port)}
	if !knowsSetting(t, filepath.Join(root, "bin", "image", "authd"), "AUTHD_ADMIN_ADDR") {
		// The admin listener is another branch's; until it is merged the
		// binary refuses the image's AUTHD_ADMIN_ADDR as unknown.
		t.Log("pending: this authd has no AUTHD_ADMIN_ADDR yet; running without it")
		args = append(args, "--unsetenv", "AUTHD_ADMIN_ADDR")
	}
	args = append(args, image)
	if out, err := run(podman, args...); err != nil {
		t.Fatalf("podman run: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := exec.Command(podman, "logs", name).CombinedOutput()
			t.Logf("container log:\n%s", out)
		}
		_ = exec.Command(podman, "rm", "-f", "-t", "5", name).Run()
	})

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHealthy(ctx, t, base)

	if out, err := run(podman, "healthcheck", "run", name); err != nil {
		t.Errorf("podman healthcheck run (the image's HEALTHCHECK, `authd healthcheck`): %v\n%s", err, out)
	}

	// The harness client, aimed at the container instead of an in-process instance.
	c := (&harness.Instance{URL: base}).Client(t)
	phone := newPhone()
	if r := c.Post("/v1/sms/codes", map[string]string{"phone": phone}); r.Status != http.StatusAccepted {
		t.Fatalf("request code: %d %s", r.Status, r.Raw)
	}
	code := containerLogCode(ctx, t, podman, name, e164(phone))
	r := c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code})
	if r.Status != http.StatusCreated {
		t.Fatalf("log in: %d %s", r.Status, r.Raw)
	}
	me := c.Do(http.MethodGet, "/v1/me", nil, "Authorization: Bearer "+r.Str("access_token"))
	if me.Status != http.StatusOK || me.Str("phone") != e164(phone) {
		t.Fatalf("/v1/me: %d %s", me.Status, me.Raw)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// knowsSetting asks the binary's `config` whether it has a setting.
func knowsSetting(t *testing.T, bin, key string) bool {
	t.Helper()
	cmd := exec.Command(bin, "config")
	cmd.Env = []string{"AUTHD_DATA_DIR=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s config: %v\n%s", bin, err, out)
	}
	return bytes.Contains(out, []byte(key+"="))
}

func waitHealthy(ctx context.Context, t *testing.T, base string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	var last string
	for ctx.Err() == nil {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("the container never answered /healthz: %s", last)
}

// consoleCode reads the code for phone from the console provider's JSON
// line in the container log.
func containerLogCode(ctx context.Context, t *testing.T, podman, name, phone string) string {
	t.Helper()
	for ctx.Err() == nil {
		out, _ := exec.CommandContext(ctx, podman, "logs", name).CombinedOutput()
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			var line struct {
				Msg, Phone, Code string
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "sms.console" && line.Phone == phone && line.Code != "" {
				return line.Code
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no console SMS line for %s in the container log", phone)
	return ""
}
