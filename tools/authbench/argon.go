package main

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// argon2Rate is raw argon2id hashes per second with authd's parameters
// (m=19 MiB, t=2, p=1) on workers goroutines: the ceiling PasswordLogin is
// measured against.
func argon2Rate(d time.Duration, workers int) float64 {
	var n atomic.Int64
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			salt := []byte("authbench-salt-" + string(rune('a'+w)))
			for time.Now().Before(deadline) {
				argon2.IDKey([]byte(password), salt, 2, 19*1024, 1, 32)
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}
