package test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/authd/authd/test/harness"
)

// The process fault suite runs the real binary, so SIGTERM goes through
// the signal handler and kill -9 really loses everything in memory.

var (
	authdBinOnce sync.Once
	authdBin     string
	authdBinErr  error
)

// buildAuthd compiles cmd/authd once per test binary run.
func buildAuthd(t *testing.T) string {
	t.Helper()
	authdBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "authd-faults-")
		if err != nil {
			authdBinErr = err
			return
		}
		authdBin = filepath.Join(dir, "authd")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "build", "-o", authdBin, "github.com/authd/authd/cmd/authd").CombinedOutput()
		if err != nil {
			authdBinErr = fmt.Errorf("go build: %w: %s", err, out)
		}
	})
	if authdBinErr != nil {
		t.Fatal(authdBinErr)
	}
	return authdBin
}

// proc is one authd process.
type proc struct {
	cmd  *exec.Cmd
	out  *harness.SyncBuffer
	url  string
	done chan error
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProc runs authd serve with env and waits until it answers.
func startProc(t *testing.T, env map[string]string) *proc {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(buildAuthd(t), "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "AUTHD_HTTP_ADDR=" + addr,
		"AUTHD_ADMIN_ADDR=" + freeAddr(t)} // never the default 8081 a developer's server may hold
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{cmd: cmd, out: &harness.SyncBuffer{}, url: "http://" + addr, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("authd output:\n%s", tail(p.out.String(), 4000))
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(p.url + "/.well-known/jwks.json"); err == nil {
			_ = r.Body.Close()
			if r.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("authd did not come up:\n%s", tail(p.out.String(), 4000))
	return nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// wait returns the process's exit error, failing after limit.
func (p *proc) wait(t *testing.T, limit time.Duration) error {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		return err
	case <-time.After(limit):
		t.Fatalf("authd still running after %s", limit)
		return nil
	}
}

// code is the last code the console provider logged for the E.164 phone.
func (p *proc) code(phone string) string {
	var code string
	for _, line := range strings.Split(p.out.String(), "\n") {
		var m map[string]any
		if !strings.Contains(line, phone) || json.Unmarshal([]byte(line), &m) != nil || m["msg"] != "sms.console" {
			continue
		}
		if m["phone"] == phone {
			code, _ = m["code"].(string)
		}
	}
	return code
}

// answer is one HTTP exchange as a client sees it; err is a transport
// error (no answer at all, or an answer cut short when truncated is set).
type answer struct {
	status    int
	body      map[string]any
	truncated bool
	err       error
}

var faultHTTP = &http.Client{Timeout: 15 * time.Second}

func call(method, url string, body any, bearerToken string) answer {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return answer{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearerToken != "" {
		req.Header.Set("Authorization", "Bearer "+bearerToken)
	}
	resp, err := faultHTTP.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode}
	if err != nil {
		return answer{status: resp.StatusCode, truncated: true, err: err}
	}
	if len(raw) > 0 && json.Unmarshal(raw, &a.body) != nil {
		return answer{status: resp.StatusCode, truncated: true, err: fmt.Errorf("not JSON: %q", raw)}
	}
	return a
}

// session is what a client got from a successful login.
type session struct {
	phone, access, refresh string
	created                bool
}

// loadResult gathers what the clients saw.
type loadResult struct {
	mu       sync.Mutex
	sessions []session
	bad      []string // 5xx or truncated answers
	unanswer atomic.Int64
}

func (r *loadResult) badf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bad = append(r.bad, fmt.Sprintf(format, args...))
}

// check records a 5xx or a truncated answer; it reports whether the
// exchange got a whole answer to go on with.
func (r *loadResult) check(what string, a answer, allowUnavailable bool) bool {
	switch {
	case a.truncated:
		r.badf("%s: truncated answer: %v", what, a.err)
		return false
	case a.err != nil:
		r.unanswer.Add(1) // refused or reset before any answer: nothing was promised
		return false
	case a.status >= 500 && !(allowUnavailable && a.status == 503):
		r.badf("%s: %d %v", what, a.status, a.body)
		return false
	}
	return true
}

var faultPhoneSeq atomic.Int64

// firstLogins runs workers doing SMS first logins against p until stop is
// closed.
func firstLogins(p *proc, workers int, stop <-chan struct{}, res *loadResult, allowUnavailable bool) *sync.WaitGroup {
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				national := fmt.Sprintf("1380014%04d", faultPhoneSeq.Add(1)%10000)
				phone := e164(national)
				a := call("POST", p.url+"/v1/sms/codes", map[string]string{"phone": national}, "")
				if !res.check("request code", a, allowUnavailable) || a.status != 202 {
					if a.err == nil && a.status != 202 && a.status != 503 {
						res.badf("request code: %d %v", a.status, a.body)
					}
					time.Sleep(10 * time.Millisecond)
					continue
				}
				var code string
				for range 100 {
					if code = p.code(phone); code != "" {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
				if code == "" {
					continue // the process went away before the text
				}
				a = call("POST", p.url+"/v1/sessions/sms", map[string]string{"phone": national, "code": code}, "")
				if !res.check("login", a, allowUnavailable) {
					continue
				}
				if a.status != 200 && a.status != 201 {
					if a.status != 503 {
						res.badf("login: %d %v", a.status, a.body)
					}
					continue
				}
				s := session{phone: phone, created: a.body["created"] == true}
				s.access, _ = a.body["access_token"].(string)
				s.refresh, _ = a.body["refresh_token"].(string)
				if s.access == "" || s.refresh == "" {
					res.badf("login without tokens: %v", a.body)
					continue
				}
				res.mu.Lock()
				res.sessions = append(res.sessions, s)
				res.mu.Unlock()
			}
		})
	}
	return &wg
}

// processEnv is the backend's settings for a process: the embedded
// backend gets a data directory of its own, kept across restarts.
func processEnv(t *testing.T, b backend) (map[string]string, func() *sql.DB) {
	env := b.env(t)
	env["AUTHD_SMS_GUARD_ALLOW_NUMBERS"] = "+861380014*"
	env["AUTHD_IP_CODE_LIMIT"] = "100000"
	env["AUTHD_IP_LOGIN_LIMIT"] = "100000"
	env["AUTHD_LOG_LEVEL"] = "info"
	if _, ok := env["AUTHD_DATABASE_URL"]; !ok {
		dir := filepath.Join(t.TempDir(), "data")
		env["AUTHD_DATA_DIR"] = dir
		return env, func() *sql.DB {
			db, err := sql.Open(sqliteshim.ShimName, "file:"+filepath.Join(dir, "authd.db")+"?_pragma=busy_timeout(5000)")
			if err != nil {
				t.Fatal(err)
			}
			return db
		}
	}
	env["AUTHD_DATA_DIR"] = filepath.Join(t.TempDir(), "data")
	dbURL := env["AUTHD_DATABASE_URL"]
	return env, func() *sql.DB { return sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dbURL))) }
}

// wantSessionsWork checks every session a client got against a restarted
// process: its access token reads /v1/me and its refresh token refreshes.
func wantSessionsWork(t *testing.T, p *proc, sessions []session) {
	t.Helper()
	for _, s := range sessions {
		a := call("GET", p.url+"/v1/me", nil, s.access)
		if a.err != nil || a.status != 200 || a.body["phone"] != s.phone {
			t.Errorf("GET /v1/me for %s (created %v) after restart: %d %v %v", s.phone, s.created, a.status, a.body, a.err)
		}
		a = call("POST", p.url+"/v1/tokens/refresh", map[string]string{"refresh_token": s.refresh}, "")
		if a.err != nil || a.status != 200 {
			t.Errorf("refresh for %s (created %v) after restart: %d %v %v", s.phone, s.created, a.status, a.body, a.err)
		}
	}
}

// TestFaultSIGTERMUnderLoad: SIGTERM while first logins run. No client
// sees a 5xx or an answer cut short, the process exits cleanly, and every
// created user logs on with what it was given after a restart.
func TestFaultSIGTERMUnderLoad(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		env, _ := processEnv(t, b)
		p := startProc(t, env)
		res := &loadResult{}
		stop := make(chan struct{})
		wg := firstLogins(p, 4, stop, res, false)
		time.Sleep(1500 * time.Millisecond)
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := p.wait(t, 30*time.Second); err != nil {
			t.Errorf("authd exit after SIGTERM: %v", err)
		}
		close(stop)
		wg.Wait()
		for _, b := range res.bad {
			t.Error(b)
		}
		created := 0
		for _, s := range res.sessions {
			if s.created {
				created++
			}
		}
		t.Logf("%d sessions (%d created) before SIGTERM, %d requests without an answer", len(res.sessions), created, res.unanswer.Load())
		if created == 0 {
			t.Fatal("no user created before SIGTERM: the load did not run")
		}
		wantSessionsWork(t, startProc(t, env), res.sessions)
	})
}

// TestFaultKill9DuringFirstLogins: kill -9 while first logins run. After a
// restart no user is left without a session (the first login is one
// transaction) and every token a client got still works.
func TestFaultKill9DuringFirstLogins(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		env, openDB := processEnv(t, b)
		p := startProc(t, env)
		res := &loadResult{}
		stop := make(chan struct{})
		wg := firstLogins(p, 4, stop, res, true)
		time.Sleep(1500 * time.Millisecond)
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.wait(t, 10*time.Second)
		close(stop)
		wg.Wait()
		// A killed server cuts answers short; only 5xx are faults here.
		for _, b := range res.bad {
			if !strings.Contains(b, "truncated") {
				t.Error(b)
			}
		}
		if len(res.sessions) == 0 {
			t.Fatal("no login before kill -9: the load did not run")
		}
		p2 := startProc(t, env)
		db := openDB()
		defer db.Close()
		var users, orphans int
		if err := db.QueryRow(`SELECT count(*) FROM users`).Scan(&users); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT count(*) FROM users u
			WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.user_id = u.id)`).Scan(&orphans); err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		t.Logf("%d sessions seen by clients, %d users stored, %d without a session", len(res.sessions), users, orphans)
		if orphans != 0 {
			t.Errorf("%d users without any session after kill -9", orphans)
		}
		wantSessionsWork(t, p2, res.sessions)
	})
}
