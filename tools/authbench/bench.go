package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"time"
)

func (cfg config) selected(name string) bool { return cfg.scenarios == nil || cfg.scenarios[name] }

// bench runs the selected scenarios and floors; the report holds whatever
// finished even when err is set (interrupted).
func bench(ctx context.Context, cfg config) (*Report, error) {
	rep := &Report{Backend: cfg.backend, Concurrency: cfg.concurrency, ConcurrencyP99: cfg.concurrencyP99,
		Duration: cfg.duration.String(), GoVersion: runtime.Version(), NumCPU: runtime.NumCPU(), Date: time.Now().UTC()}
	if cfg.url != "" {
		rep.Backend, rep.URL = "external", cfg.url
	}
	phones := newPhoneGen()

	wantFloor := map[string]bool{}
	for _, s := range scenarios {
		if cfg.selected(s.name) && s.floor != "" {
			wantFloor[s.floor] = true
		}
	}
	floors := map[string]*Row{}
	var floorRows []*Row
	for _, s := range floorScenarios {
		if cfg.floors && (cfg.selected(s.name) || wantFloor[s.name]) {
			r := &Row{Scenario: s.name, Summary: s.summary}
			floors[s.name] = r
			floorRows = append(floorRows, r)
		}
	}
	if len(floorRows) > 0 {
		if err := runFloors(ctx, cfg, phones, floorRows); err != nil {
			return finish(rep, floorRows, floors), err
		}
	}

	var shared *target // --url: one server for everything
	if cfg.url != "" {
		t, err := externalTarget(ctx, cfg)
		if err != nil {
			return nil, err
		}
		shared = t
	}
	for _, s := range scenarios {
		if !cfg.selected(s.name) {
			continue
		}
		r := &Row{Scenario: s.name, Summary: s.summary, Floor: s.floor}
		rep.Rows = append(rep.Rows, r)
		if s.floor == "argon2id-raw" {
			measureArgon2(rep) // just before, on as quiet a machine as the scenario gets
		}
		if shared != nil && s.sms != "" && s.sms != smsConsole {
			r.note("skipped: the vendor stub needs a server authbench starts (not --url)")
			continue
		}
		if shared != nil && s.codes && shared.codes == nil {
			r.note("skipped: needs the server's console output (--console-log) with --url")
			continue
		}
		for _, conc := range passes(cfg) {
			if err := runPass(ctx, cfg, s, conc, shared, phones, r); err != nil {
				r.note("c=%d: %v", conc, err)
				if ctx.Err() != nil {
					return finish(rep, floorRows, floors), ctx.Err()
				}
				break
			}
		}
	}
	if cfg.selected("argon2id-raw") {
		measureArgon2(rep)
	}
	return finish(rep, floorRows, floors), nil
}

func measureArgon2(rep *Report) {
	if rep.Argon2PerSec != nil {
		return
	}
	workers := runtime.NumCPU()
	fmt.Fprintf(os.Stderr, "authbench: raw argon2id (m=19MiB, t=2, p=1) on %d goroutines for 2s\n", workers)
	v := argon2Rate(2*time.Second, workers)
	rep.Argon2PerSec = &v
}

func passes(cfg config) []int {
	if cfg.concurrencyP99 > 0 && cfg.concurrencyP99 != cfg.concurrency {
		return []int{cfg.concurrency, cfg.concurrencyP99}
	}
	return []int{cfg.concurrency}
}

// finish appends the floor rows, fills in the ratios and checks the targets.
func finish(rep *Report, floorRows []*Row, floors map[string]*Row) *Report {
	if len(rep.Passes()) == 1 && rep.ConcurrencyP99 == rep.Concurrency {
		for _, r := range rep.Rows {
			r.P99LowMs = &r.P99Ms
		}
	}
	byName := map[string]*Row{}
	for _, r := range rep.Rows {
		byName[r.Scenario] = r
	}
	for _, r := range rep.Rows {
		var base float64
		if f, ok := floors[r.Floor]; ok && len(f.Passes) > 0 {
			base = f.RPS
		} else if f, ok := byName[r.Floor]; ok && len(f.Passes) > 0 {
			base = f.RPS // another scenario of the same run: the vendor path beside the console one
		} else if r.Floor == "argon2id-raw" && rep.Argon2PerSec != nil {
			base = *rep.Argon2PerSec
		}
		if base > 0 && len(r.Passes) > 0 {
			v := r.RPS / base
			r.FloorRatio = &v
		}
	}
	rep.Rows = append(rep.Rows, floorRows...)
	rep.Targets = evaluate(rep)
	return rep
}

// Passes lists the concurrencies the report was run at.
func (rep *Report) Passes() []int {
	if rep.ConcurrencyP99 > 0 && rep.ConcurrencyP99 != rep.Concurrency {
		return []int{rep.Concurrency, rep.ConcurrencyP99}
	}
	return []int{rep.Concurrency}
}

// runFloors measures the floors at --concurrency on one floor server; when
// Postgres or Redis is missing the rows stay n/a.
func runFloors(ctx context.Context, cfg config, phones *phoneGen, rows []*Row) error {
	fmt.Fprintln(os.Stderr, "authbench: starting the floor server")
	t, err := startFloor(ctx, cfg)
	if err != nil {
		for _, r := range rows {
			r.note("n/a: floor server: %v", err)
		}
		return ctx.Err()
	}
	defer func() {
		if err := t.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "authbench: stop the floor server:", err)
		}
	}()
	for _, r := range rows {
		var s scenario
		for _, fs := range floorScenarios {
			if fs.name == r.Scenario {
				s = fs
			}
		}
		if err := runPass(ctx, cfg, s, cfg.concurrency, t, phones, r); err != nil {
			r.note("%v", err)
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	return nil
}

// runPass runs one scenario at one concurrency: on a fresh authd unless
// shared is set, setup untimed, then the timed run and the peak RSS.
func runPass(ctx context.Context, cfg config, s scenario, conc int, shared *target, phones *phoneGen, r *Row) error {
	label := fmt.Sprintf("%s c=%d", s.name, conc)
	t := shared
	if t == nil {
		var err error
		sms := s.sms
		if sms == "" {
			sms = cfg.sms
		}
		if t, err = startAuthd(ctx, cfg, sms, s.env...); err != nil {
			return err
		}
		defer func() {
			if err := t.stop(); err != nil {
				fmt.Fprintf(os.Stderr, "authbench: %s: stop server: %v\n", label, err)
			}
		}()
	}
	c, err := newClient(t.url, 2*max(conc, cfg.concurrency))
	if err != nil {
		return err
	}
	e := &env{c: c, codes: t.codes, phones: phones, setupConc: max(cfg.concurrency, 32),
		pool: int(math.Ceil(cfg.duration.Seconds() * float64(cfg.poolRate))),
		progress: func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "authbench: %s setup: %s\n", label, fmt.Sprintf(format, args...))
		}}
	setupStart := time.Now()
	op, err := s.prepare(ctx, e, conc)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	if d := time.Since(setupStart); d > time.Second {
		e.progress("done in %.1fs", d.Seconds())
	}
	var before stubCounts
	if t.vendor != nil {
		before = t.vendor.counts()
	}
	sum, dry, runErr := timedRun(ctx, label, conc, cfg.duration, op)
	p := newPass(conc, sum, dry)
	if t.vendor != nil {
		after := t.vendor.counts()
		d := stubCounts{sends: after.sends - before.sends, conns: after.conns - before.conns}
		p.Vendor = &VendorUse{Vendor: t.vendor.vendor, Sends: d.sends, Connections: d.conns, PerThousand: perThousand(d)}
		r.note("c=%d: %s stub: %d sends over %d new connections (%.1f per 1,000 sends)",
			conc, t.vendor.vendor, d.sends, d.conns, p.Vendor.PerThousand)
	}
	if t.pid > 0 {
		if v, err := peakRSS(t.pid); err == nil {
			p.RSSMiB = &v
		}
	}
	r.add(p)
	return runErr
}

// externalTarget is the --url server, with its console lines followed from
// --console-log when given.
func externalTarget(ctx context.Context, cfg config) (*target, error) {
	t := &target{url: cfg.url, stop: func() error { return nil }}
	if cfg.consoleLog != "" {
		t.codes = newCodebook()
		if err := follow(ctx, cfg.consoleLog, t.codes.line); err != nil {
			return nil, fmt.Errorf("--console-log: %w", err)
		}
	}
	return t, nil
}
