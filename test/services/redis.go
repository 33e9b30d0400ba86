package services

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/rueidis"
)

// Redis returns the URL of the machine's Redis (AUTHD_TEST_REDIS_URL,
// default redis://127.0.0.1:6379/0), or skips or fails t through Unreachable
// when it does not answer PING. The server is shared: tests use key
// prefixes of their own and never flush it.
func Redis(t testing.TB) string {
	t.Helper()
	url := Env("AUTHD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
	opt, err := rueidis.ParseURL(url)
	if err != nil {
		t.Fatalf("AUTHD_TEST_REDIS_URL: %v", err)
	}
	opt.DisableCache = true
	opt.Dialer.Timeout = 2 * time.Second
	c, err := rueidis.NewClient(opt)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = c.Do(ctx, c.B().Ping().Build()).Error()
		cancel()
		c.Close()
	}
	if err != nil {
		Unreachable(t, "redis at "+url, err)
	}
	return url
}

// RedisProcess is a standalone redis-server started by a test on a free
// loopback port, without persistence, that the test can stop and start
// again on the same port (to see a client recover). It is killed in
// t.Cleanup.
type RedisProcess struct {
	Addr string // 127.0.0.1:port

	t    testing.TB
	bin  string
	dir  string
	port int
	mu   sync.Mutex
	cmd  *exec.Cmd
}

// StartRedis starts a redis-server of the test's own, or skips or fails t
// through Unreachable when redis-server is not installed.
func StartRedis(t testing.TB) *RedisProcess {
	t.Helper()
	bin := redisBinary(t, "redis-server")
	port := freePort(t, false)
	p := &RedisProcess{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		t: t, bin: bin, dir: t.TempDir(), port: port}
	t.Cleanup(p.Stop)
	p.Start()
	return p
}

// URL is the redis:// URL of the process.
func (p *RedisProcess) URL() string { return "redis://" + p.Addr + "/0" }

// Start runs the server (again) on its port and waits until it answers PING.
func (p *RedisProcess) Start() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return
	}
	cmd, err := startRedisServer(p.bin, p.dir, p.port, false)
	if err != nil {
		p.t.Fatalf("start redis-server on %s: %v", p.Addr, err)
	}
	p.cmd = cmd
}

// Stop kills the server; its data is gone. Stopping a stopped server is a
// no-op.
func (p *RedisProcess) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		stopProcess(p.cmd)
		p.cmd = nil
	}
}

// redisBinary finds a Redis tool in PATH or reports Redis unreachable.
func redisBinary(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Unreachable(t, name, err)
	}
	return path
}

// startRedisServer starts redis-server on port with its files in dir and
// waits for PING. Its output goes to dir/redis-PORT.log.
func startRedisServer(bin, dir string, port int, cluster bool) (*exec.Cmd, error) {
	p := strconv.Itoa(port)
	args := []string{"--port", p, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--daemonize", "no"}
	if cluster {
		args = append(args, "--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, "nodes-"+p+".conf"))
	}
	logf, err := os.Create(filepath.Join(dir, "redis-"+p+".log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child keeps its own descriptor
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", p)
	if err := waitPing(addr, 10*time.Second); err != nil {
		stopProcess(cmd)
		log, _ := os.ReadFile(logf.Name())
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	return cmd, nil
}

// stopProcess kills cmd and reaps it.
func stopProcess(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// waitPing polls addr with a raw RESP PING until it answers +PONG.
func waitPing(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ping(addr)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis at %s not ready after %v: %w", addr, timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return errors.New("PING answered " + strings.TrimSpace(line))
	}
	return nil
}

// freePort returns a loopback port nobody listens on. With bus it also
// checks port+10000, which Redis Cluster uses for its node-to-node bus.
func freePort(t testing.TB, bus bool) int {
	t.Helper()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("find a free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if !bus {
			l.Close()
			return port
		}
		if port+10000 <= 65535 {
			if b, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+10000))); err == nil {
				b.Close()
				l.Close()
				return port
			}
		}
		l.Close()
	}
	t.Fatal("no free port pair for a Redis Cluster node")
	return 0
}
