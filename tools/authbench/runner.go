package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// step is one unit of a worker's timed loop: one request, or a few for the
// mixed scenario, recorded in rec. errPoolDry ends the worker.
type step func(ctx context.Context, worker int, rec *recorder) error

var errPoolDry = errors.New("prepared pool ran dry")

// live counts requests across workers for the progress line.
type live struct{ reqs, errs atomic.Int64 }

// timedRun runs conc workers looping on op for d, printing a progress line
// to stderr every second. dry reports that the prepared pool ran out first.
func timedRun(ctx context.Context, label string, conc int, d time.Duration, op step) (s summary, dry bool, err error) {
	var counts live
	var dryFlag atomic.Bool
	var firstErr error
	var errOnce sync.Once
	recs := make([]*recorder, conc)
	perWorker := int(d.Seconds()*20000)/conc + 1024
	start := time.Now()
	deadline := start.Add(d)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for w := range conc {
		recs[w] = newRecorder(perWorker)
		recs[w].live = &counts
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				if err := op(ctx, w, recs[w]); err != nil {
					if errors.Is(err, errPoolDry) {
						dryFlag.Store(true)
					} else if ctx.Err() == nil {
						errOnce.Do(func() { firstErr = err })
					}
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for running := true; running; {
		select {
		case <-done:
			running = false
		case now := <-tick.C:
			fmt.Fprintf(os.Stderr, "authbench: %s %2.0fs  %d req  %d err\n", label,
				now.Sub(start).Seconds(), counts.reqs.Load(), counts.errs.Load())
		}
	}
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil && firstErr == nil {
		firstErr = err
	}
	return summarize(recs, elapsed), dryFlag.Load(), firstErr
}

// parallel runs fn(0..n-1) on conc goroutines, stopping at the first error.
func parallel(ctx context.Context, n, conc int, fn func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range min(conc, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
