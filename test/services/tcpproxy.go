package services

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// TCPProxy forwards TCP connections from a loopback port to a target, so a
// test can cut a client off from a server (Postgres, say) and reconnect it
// without touching the server: Stop closes the listener and every open
// connection, Start listens again on the same port.
type TCPProxy struct {
	Addr   string // 127.0.0.1:port, where clients connect
	Target string // where connections are forwarded

	t     testing.TB
	mu    sync.Mutex
	ln    net.Listener          // nil while stopped
	conns map[net.Conn]struct{} // both ends of every forwarded connection
	wg    sync.WaitGroup
}

// StartTCPProxy listens on a free loopback port and forwards every
// connection to target. The proxy is stopped in t.Cleanup.
func StartTCPProxy(t testing.TB, target string) *TCPProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("tcp proxy: listen: %v", err)
	}
	p := &TCPProxy{Addr: ln.Addr().String(), Target: target, t: t, conns: map[net.Conn]struct{}{}}
	p.serve(ln)
	t.Cleanup(p.Stop)
	return p
}

// Start listens again on Addr after Stop; starting a running proxy is a
// no-op.
func (p *TCPProxy) Start() {
	p.t.Helper()
	p.mu.Lock()
	running := p.ln != nil
	p.mu.Unlock()
	if running {
		return
	}
	// Go sets SO_REUSEADDR, so the port is free again at once; retry
	// briefly anyway in case the old listener is still being torn down.
	var ln net.Listener
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if ln, err = net.Listen("tcp", p.Addr); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		p.t.Fatalf("tcp proxy: listen again on %s: %v", p.Addr, err)
	}
	p.serve(ln)
}

// Stop closes the listener, so new connections are refused, and every
// forwarded connection, so clients see their pooled connections die. It
// returns when every forwarding goroutine has ended. Stopping a stopped
// proxy is a no-op.
func (p *TCPProxy) Stop() {
	p.mu.Lock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *TCPProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				continue // a transient accept error
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.forward(ln, c)
			}()
		}
	}()
}

// track registers conns as open unless ln has been stopped meanwhile, in
// which case it closes them.
func (p *TCPProxy) track(ln net.Listener, conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != ln {
		for _, c := range conns {
			_ = c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *TCPProxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.conns, c)
		_ = c.Close()
	}
}

// forward copies bytes both ways until either side closes, then closes both.
func (p *TCPProxy) forward(ln net.Listener, client net.Conn) {
	if !p.track(ln, client) {
		return
	}
	server, err := net.DialTimeout("tcp", p.Target, 3*time.Second)
	if err != nil {
		p.untrack(client)
		return
	}
	if !p.track(ln, server) {
		p.untrack(client)
		return
	}
	defer p.untrack(client, server)
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done // one direction ended: tear both down, which ends the other
	_ = client.Close()
	_ = server.Close()
	<-done
}
