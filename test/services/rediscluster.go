package services

import (
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RedisCluster starts a Redis Cluster of three masters (no replicas) on free
// loopback ports, as child processes without persistence, waits until every
// node reports cluster_state:ok and returns their addresses (127.0.0.1:port).
// The nodes are killed in t.Cleanup. Without redis-server and redis-cli in
// PATH, t is skipped or failed through Unreachable. Start-up takes a second
// or two: call it once per test that needs a cluster.
func RedisCluster(t testing.TB) []string {
	t.Helper()
	server, cli := redisBinary(t, "redis-server"), redisBinary(t, "redis-cli")
	dir := t.TempDir()
	addrs := make([]string, 0, 3)
	for range 3 {
		port := freePort(t, true)
		cmd, err := startRedisServer(server, dir, port, true)
		if err != nil {
			t.Fatalf("start cluster node on port %d: %v", port, err)
		}
		t.Cleanup(func() { stopProcess(cmd) })
		addrs = append(addrs, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	}
	args := append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, addr := range addrs {
		if err := waitClusterOK(cli, addr, 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	return addrs
}

// waitClusterOK polls CLUSTER INFO on addr until the node serves all slots.
func waitClusterOK(cli, addr string, timeout time.Duration) error {
	host, port, _ := net.SplitHostPort(addr)
	deadline := time.Now().Add(timeout)
	for {
		out, err := exec.Command(cli, "-h", host, "-p", port, "cluster", "info").Output()
		if err == nil && strings.Contains(string(out), "cluster_state:ok") {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cluster node %s not ok after %v: %w\n%s", addr, timeout, err, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
