// Command authbench is the load generator behind `make bench`. It starts
// bin/authd as a subprocess on a free loopback port (a fresh one for every
// pass, with its own data), reads the console SMS codes from its standard
// output, drives each scenario at a fixed concurrency for a fixed time, and
// prints one table: throughput and latency at --concurrency, p99 at
// --concurrency-p99, errors by status, the server's peak RSS (VmHWM), and
// the ratio to a floor measured in the same run.
//
//	authbench [--backend embedded|postgres+redis] [--scenarios a,b] [--json FILE]
//	authbench --url http://host:port [--console-log FILE]   a server started elsewhere (no RSS)
//	authbench floor [--listen ADDR]                          the floor server (started by authbench)
//
// docs/PERFORMANCE.md describes the method and keeps the latest results.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const (
	backendEmbedded      = "embedded"
	backendPostgresRedis = "postgres+redis"
	defaultPostgres      = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedis         = "redis://127.0.0.1:6379/0"
)

type config struct {
	authd          string
	backend        string
	url            string
	consoleLog     string
	postgres       string
	redis          string
	concurrency    int
	concurrencyP99 int
	duration       time.Duration
	poolRate       int
	scenarios      map[string]bool // nil: all
	floors         bool
	jsonPath       string
	comparePath    string
	sms            string // SMS path of the scenarios that do not name one
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		os.Exit(floorMain(os.Args[2:]))
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cfg, err := parseFlags(args)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "authbench:", err)
		}
		return 2
	}
	var prev *Report // read first: --json may name the same file
	if cfg.comparePath != "" {
		if prev, err = readReport(cfg.comparePath); err != nil {
			fmt.Fprintln(os.Stderr, "authbench: no comparison:", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	rep, err := bench(ctx, cfg)
	if rep != nil {
		if werr := rep.WriteTable(os.Stdout); werr != nil {
			fmt.Fprintln(os.Stderr, "authbench:", werr)
			return 1
		}
		if prev != nil {
			if werr := rep.WriteComparison(os.Stdout, prev, cfg.comparePath); werr != nil {
				fmt.Fprintln(os.Stderr, "authbench:", werr)
				return 1
			}
		}
		if cfg.jsonPath != "" {
			if werr := rep.WriteJSON(cfg.jsonPath); werr != nil {
				fmt.Fprintln(os.Stderr, "authbench:", werr)
				return 1
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "authbench:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string) (config, error) {
	var cfg config
	var names string
	fs := flag.NewFlagSet("authbench", flag.ContinueOnError)
	fs.StringVar(&cfg.authd, "authd", "bin/authd", "authd binary to start")
	fs.StringVar(&cfg.backend, "backend", backendEmbedded, "embedded (SQLite, in-process codes) or postgres+redis")
	fs.StringVar(&cfg.url, "url", "", "benchmark a server already running at this URL instead (no RSS, no restarts)")
	fs.StringVar(&cfg.consoleLog, "console-log", "", "with --url: file the server's console SMS lines are appended to")
	fs.StringVar(&cfg.postgres, "postgres", defaultPostgres, "Postgres admin URL: bench and floor databases are created there")
	fs.StringVar(&cfg.redis, "redis", defaultRedis, "Redis URL")
	fs.IntVar(&cfg.concurrency, "concurrency", 32, "workers for the throughput pass")
	fs.IntVar(&cfg.concurrencyP99, "concurrency-p99", 8, "workers for the latency pass; 0 skips it")
	fs.DurationVar(&cfg.duration, "duration", 5*time.Second, "timed run per scenario and pass")
	fs.IntVar(&cfg.poolRate, "pool-rate", 2500, "req/s the code pools are prepared for (a pool running dry ends the pass early)")
	fs.StringVar(&names, "scenarios", "", "comma list of scenarios (default all): "+strings.Join(allNames(), ","))
	fs.BoolVar(&cfg.floors, "floors", true, "measure the floors (need Postgres and Redis)")
	fs.StringVar(&cfg.jsonPath, "json", "", "also write the results to this JSON file")
	fs.StringVar(&cfg.comparePath, "compare", "", "print the change per scenario against this earlier --json file (missing: skipped)")
	fs.StringVar(&cfg.sms, "sms", smsConsole, "SMS path of the scenarios that need codes: console, or tencent / aliyun (authd's sender to a local vendor stub)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.backend != backendEmbedded && cfg.backend != backendPostgresRedis {
		return cfg, fmt.Errorf("--backend: want %s or %s, got %q", backendEmbedded, backendPostgresRedis, cfg.backend)
	}
	if cfg.sms != smsConsole && cfg.sms != smsTencent && cfg.sms != smsAliyun {
		return cfg, fmt.Errorf("--sms: want %s, %s or %s, got %q", smsConsole, smsTencent, smsAliyun, cfg.sms)
	}
	if cfg.concurrency < 1 || cfg.concurrencyP99 < 0 || cfg.duration <= 0 || cfg.poolRate < 1 {
		return cfg, fmt.Errorf("--concurrency, --duration and --pool-rate must be positive")
	}
	if names != "" {
		cfg.scenarios = map[string]bool{}
		known := map[string]bool{}
		for _, n := range allNames() {
			known[n] = true
		}
		for _, n := range strings.Split(names, ",") {
			n = strings.TrimSpace(n)
			if !known[n] {
				return cfg, fmt.Errorf("--scenarios: unknown %q (have %s)", n, strings.Join(allNames(), ", "))
			}
			cfg.scenarios[n] = true
		}
	}
	return cfg, nil
}

func allNames() []string {
	var out []string
	for _, s := range append(append([]scenario{}, scenarios...), floorScenarios...) {
		out = append(out, s.name)
	}
	return append(out, "argon2id-raw")
}
