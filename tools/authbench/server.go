package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// target is the server one pass measures: an authd subprocess (pid > 0),
// the floor server, or a server started by someone else (--url).
type target struct {
	url    string
	codes  *codebook
	pid    int
	stop   func() error
	vendor *vendorStub // the SMS vendor stub authd sends through; nil: console
}

// benchEnv is authd's configuration for a benchmark: limits raised so the
// load is not refused, codes on the console unless a vendor stub takes them.
func benchEnv(addr, dataDir string, stub *vendorStub) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AUTHD_") {
			env = append(env, kv)
		}
	}
	sms := []string{"AUTHD_SMS_PROVIDERS=console"}
	if stub != nil {
		sms = stub.env()
	}
	env = append(env, sms...)
	return append(env,
		"AUTHD_HTTP_ADDR="+addr,
		"AUTHD_ADMIN_ADDR=127.0.0.1:0", // several passes may overlap a restart
		"AUTHD_DATA_DIR="+dataDir,
		"AUTHD_LOG_LEVEL=warn",
		"AUTHD_IP_CODE_LIMIT=1000000000",
		"AUTHD_IP_LOGIN_LIMIT=1000000000",
		"AUTHD_LOGIN_FAILURE_LIMIT=1000000000",
		"AUTHD_PHONE_LOOKUP_LIMIT=1000000000",
		"AUTHD_CODE_HOURLY_LIMIT=1000000",
		"AUTHD_CODE_DAILY_LIMIT=1000000",
		"AUTHD_CODE_RESEND_AFTER=1s",
	)
}

// startAuthd starts a fresh authd for one pass: a new data dir, and on
// postgres+redis a new database and Redis key prefix, all removed by stop.
// sms names the path its texts take: the console, or a vendor stub started
// for this pass (stopped with it).
// settings come last, so they win.
func startAuthd(ctx context.Context, cfg config, sms string, settings ...string) (*target, error) {
	dir, err := os.MkdirTemp("", "authbench-")
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	codes := newCodebook()
	var cleanups []func()
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
		_ = os.RemoveAll(dir)
	}
	var stub *vendorStub
	if sms != smsConsole {
		if stub, err = startVendorStub(sms, codes); err != nil {
			cleanup()
			return nil, fmt.Errorf("vendor stub: %w", err)
		}
		cleanups = append(cleanups, func() {
			if err := stub.stop(); err != nil {
				fmt.Fprintln(os.Stderr, "authbench: stop the vendor stub:", err)
			}
		})
	}
	env := append(benchEnv(addr, dir, stub), settings...)
	if cfg.backend == backendPostgresRedis {
		extra, undo, err := externalStores(ctx, cfg, dir)
		if err != nil {
			cleanup()
			return nil, err
		}
		cleanups = append(cleanups, undo)
		env = append(env, extra...)
		mig := exec.CommandContext(ctx, cfg.authd, "migrate")
		mig.Env = env
		if out, err := mig.CombinedOutput(); err != nil {
			cleanup()
			return nil, fmt.Errorf("authd migrate: %w: %s", err, out)
		}
	}
	cmd := exec.Command(cfg.authd, "serve")
	cmd.Env = env
	cmd.Stdout = &lineWriter{fn: codes.line}
	cmd.Stderr = os.Stderr
	p, err := startProc(cmd)
	if err != nil {
		cleanup()
		return nil, err
	}
	t := &target{url: "http://" + addr, codes: codes, pid: cmd.Process.Pid, vendor: stub}
	t.stop = func() error {
		defer cleanup()
		return p.stop()
	}
	if err := p.waitReady(ctx, t.url, "/readyz"); err != nil {
		_ = t.stop() // the start-up error is the one to report
		return nil, err
	}
	return t, nil
}

// externalStores creates the pass's own Postgres database and picks its
// Redis key prefix; undo drops the one and deletes the other's keys.
func externalStores(ctx context.Context, cfg config, dir string) (env []string, undo func(), err error) {
	keyFile := filepath.Join(dir, "jwt.pem")
	if err := writeSigningKey(keyFile); err != nil {
		return nil, nil, err
	}
	name := "authd_bench_" + randHex(6)
	dbURL, err := createDatabase(ctx, cfg.postgres, name)
	if err != nil {
		return nil, nil, err
	}
	prefix := "authbench-" + randHex(6)
	undo = func() {
		c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := dropDatabase(c, cfg.postgres, name); err != nil {
			fmt.Fprintln(os.Stderr, "authbench: drop database:", err)
		}
		if err := deleteKeys(c, cfg.redis, prefix); err != nil {
			fmt.Fprintln(os.Stderr, "authbench: delete redis keys:", err)
		}
	}
	return []string{
		"AUTHD_DATABASE_URL=" + dbURL,
		"AUTHD_REDIS_URL=" + cfg.redis,
		"AUTHD_REDIS_KEY_PREFIX=" + prefix,
		"AUTHD_CODE_SECRET=" + randHex(32),
		"AUTHD_JWT_KEY_FILE=" + keyFile,
	}, undo, nil
}

func writeSigningKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// proc is a started subprocess whose exit is watched from the start, so
// a server that dies during start-up is noticed at once.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startProc(cmd *exec.Cmd) (*proc, error) {
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p, nil
}

// stop sends SIGTERM (authd drains in-flight requests) and kills after 35 s.
func (p *proc) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(35 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop in 35s; killed", p.cmd.Path)
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
		return nil
	}
	return p.err
}

// waitReady polls path until 200, the process exits, or 30 s pass.
func (p *proc) waitReady(ctx context.Context, url, path string) error {
	c, err := newClient(url, 1)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if status, _, _ := c.do("GET", path, nil, "", false); status == 200 {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before it was ready: %w", p.cmd.Path, p.err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready after 30s", p.cmd.Path)
}

// peakRSS is the process's high-water resident set (VmHWM) in MiB.
func peakRSS(pid int) (float64, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }() // read only
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err != nil {
				return 0, err
			}
			return kb / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = l.Close() }() // only probing for a free port
	return l.Addr().String(), nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
