// Package harness starts authd in-process, through the same fx graph that
// cmd/authd runs, on a loopback port, with chosen adapters swapped for
// fakes. The end-to-end suites in test/ and the load generator use it.
package harness

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/app"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

// Options choose the instance's configuration and fakes.
type Options struct {
	// Env holds AUTHD_* settings; AUTHD_HTTP_ADDR and AUTHD_ADMIN_ADDR
	// default to free loopback ports and AUTHD_DATA_DIR to a fresh
	// temporary directory.
	Env map[string]string
	// SMS replaces the configured SMS sender unless RealSMS is set.
	SMS     *portstest.SMS
	RealSMS bool
	// WrapSMS, when set, wraps whichever sender is in use (fx allows one
	// decoration per type, so tests wrap through here).
	WrapSMS func(ports.SMS) ports.SMS
	// Clock replaces the system clock when set.
	Clock ports.Clock
	// FastPasswords swaps argon2id for a fake hasher (the HTTP suites make
	// many password calls; the argon2 adapter has tests of its own).
	FastPasswords bool
	// Extra fx options, e.g. more replacements.
	Extra []fx.Option
}

// Instance is one running authd.
type Instance struct {
	URL      string
	AdminURL string // the admin listener: /metrics, probes, /console/messages
	Server   *httpapi.Server
	SMS      *portstest.SMS
	DataDir  string
	Log      *SyncBuffer // the process's stdout: JSON logs and console SMS lines
	app      *fx.App
	codes    *app.RequestCode
	stopped  bool
}

// Start runs an instance and stops it when the test ends.
func Start(t testing.TB, o Options) *Instance {
	t.Helper()
	inst, err := StartE(t.TempDir(), o)
	if err != nil {
		t.Fatalf("start authd: %v", err)
	}
	t.Cleanup(func() { inst.Stop() })
	return inst
}

// StartE runs an instance; tmp is used for the data dir when none is set.
func StartE(tmp string, o Options) (*Instance, error) {
	env := map[string]string{"AUTHD_HTTP_ADDR": "127.0.0.1:0", "AUTHD_ADMIN_ADDR": "127.0.0.1:0",
		"AUTHD_DATA_DIR": filepath.Join(tmp, "data")}
	for k, v := range o.Env {
		env[k] = v
	}
	environ := make([]string, 0, len(env))
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	settings, err := wiring.LoadSettings("", environ)
	if err != nil {
		return nil, err
	}
	inst := &Instance{DataDir: settings.DataDir, Log: &SyncBuffer{}}
	var out io.Writer = inst.Log
	if os.Getenv("AUTHD_TEST_LOG") == "1" {
		out = io.MultiWriter(inst.Log, os.Stderr)
	}
	opts, err := wiring.Modules(settings, out)
	if err != nil {
		return nil, err
	}
	all := []fx.Option{opts, fx.Populate(&inst.Server, &inst.codes)}
	if !o.RealSMS {
		inst.SMS = o.SMS
		if inst.SMS == nil {
			inst.SMS = &portstest.SMS{}
		}
	}
	all = append(all, fx.Decorate(func(real ports.SMS) ports.SMS {
		s := real
		if inst.SMS != nil {
			s = inst.SMS
		}
		if o.WrapSMS != nil {
			s = o.WrapSMS(s)
		}
		return s
	}))
	if o.Clock != nil {
		all = append(all, fx.Decorate(func(ports.Clock) ports.Clock { return o.Clock }))
	}
	if o.FastPasswords {
		all = append(all, fx.Decorate(func(ports.Passwords) ports.Passwords { return &portstest.Passwords{} }))
	}
	all = append(all, o.Extra...)
	inst.app = fx.New(all...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := inst.app.Start(ctx); err != nil {
		return nil, err
	}
	inst.URL = "http://" + inst.Server.Addr()
	inst.AdminURL = "http://" + inst.Server.AdminAddr()
	return inst, nil
}

// Settle waits for texts the instance sends in the background (reset
// codes go out after the answer).
func (i *Instance) Settle(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := i.codes.Wait(ctx); err != nil {
		t.Fatalf("background sends: %v", err)
	}
}

// Stop shuts the instance down gracefully; stopping twice is a no-op.
func (i *Instance) Stop() {
	if i.stopped {
		return
	}
	i.stopped = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = i.app.Stop(ctx)
	http.DefaultClient.CloseIdleConnections()
}

// SyncBuffer is a bytes buffer safe for concurrent writes and reads.
type SyncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

// Write implements io.Writer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
