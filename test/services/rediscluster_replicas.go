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

// ReplicatedCluster is a Redis Cluster of three masters, each with one
// replica, whose nodes a test may kill to force a failover.
type ReplicatedCluster struct {
	Masters  []string // 127.0.0.1:port, as created
	Replicas []string
	cli      string
	procs    map[string]*exec.Cmd
}

// clusterNodeTimeout is short so that a killed master is failed over in a
// couple of seconds instead of the default 15.
const clusterNodeTimeout = "1000"

// RedisClusterWithReplicas starts three masters and three replicas on free
// loopback ports (child processes without persistence), waits until every
// node reports cluster_state:ok and kills them all in t.Cleanup. Without
// redis-server and redis-cli in PATH, t is skipped or failed through
// Unreachable.
func RedisClusterWithReplicas(t testing.TB) *ReplicatedCluster {
	t.Helper()
	server, cli := redisBinary(t, "redis-server"), redisBinary(t, "redis-cli")
	dir := t.TempDir()
	c := &ReplicatedCluster{cli: cli, procs: map[string]*exec.Cmd{}}
	addrs := make([]string, 0, 6)
	for range 6 {
		port := freePort(t, true)
		cmd, err := startRedisServer(server, dir, port, true)
		if err != nil {
			t.Fatalf("start cluster node on port %d: %v", port, err)
		}
		t.Cleanup(func() { stopProcess(cmd) })
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if out, err := exec.Command(cli, "-p", strconv.Itoa(port), "config", "set",
			"cluster-node-timeout", clusterNodeTimeout).CombinedOutput(); err != nil {
			t.Fatalf("config set cluster-node-timeout on %s: %v\n%s", addr, err, out)
		}
		c.procs[addr] = cmd
		addrs = append(addrs, addr)
	}
	args := append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "1", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, addr := range addrs {
		if err := waitClusterOK(cli, addr, 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	// redis-cli makes the first three nodes masters; ask rather than trust.
	for _, addr := range addrs {
		if role(cli, addr) == "master" {
			c.Masters = append(c.Masters, addr)
		} else {
			c.Replicas = append(c.Replicas, addr)
		}
	}
	if len(c.Masters) != 3 {
		t.Fatalf("cluster has masters %v, want 3", c.Masters)
	}
	// Replicas attach asynchronously: a failover needs them in sync.
	if err := waitReplicasOnline(cli, c.Masters, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	return c
}

// Kill kills the node at addr (kill -9) and waits until another node has
// promoted a replica in its place and the cluster is ok again.
func (c *ReplicatedCluster) Kill(t testing.TB, addr string, timeout time.Duration) {
	t.Helper()
	cmd, ok := c.procs[addr]
	if !ok {
		t.Fatalf("no cluster node %s", addr)
	}
	stopProcess(cmd)
	delete(c.procs, addr)
	deadline := time.Now().Add(timeout)
	for {
		ok := true
		var masters int
		for other := range c.procs {
			host, port, _ := net.SplitHostPort(other)
			info, err := exec.Command(c.cli, "-h", host, "-p", port, "cluster", "info").Output()
			if err != nil || !strings.Contains(string(info), "cluster_state:ok") {
				ok = false
			}
			if role(c.cli, other) == "master" {
				masters++
			}
		}
		if ok && masters == 3 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failover of %s after %v", addr, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// role returns "master", "slave" or "" for the node at addr.
func role(cli, addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	out, err := exec.Command(cli, "-h", host, "-p", port, "role").Output()
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(first)
}

// waitReplicasOnline polls INFO replication on each master until it has a
// replica in state online.
func waitReplicasOnline(cli string, masters []string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for _, addr := range masters {
		host, port, _ := net.SplitHostPort(addr)
		for {
			out, err := exec.Command(cli, "-h", host, "-p", port, "info", "replication").Output()
			if err == nil && strings.Contains(string(out), "state=online") {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("master %s has no online replica after %v: %w\n%s", addr, timeout, err, out)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}
