package wiring

import (
	"context"
	"math"
	"os"
	"runtime"
	"runtime/debug"

	"go.uber.org/fx"
)

// Memory budget of the default soft limit: what authd needs outside
// password hashing, plus one argon2id buffer (19 MiB) with room per
// hashing slot, so a busy password login is never starved by the collector.
const (
	memoryBaseMiB    = 40
	memoryPerHashMiB = 20
)

// memoryLimit is the soft limit for the Go runtime in bytes: the setting
// in MiB, the default budget when it is 0, none when it is negative.
func memoryLimit(settingMiB, hashSlots int) int64 {
	switch {
	case settingMiB < 0:
		return math.MaxInt64
	case settingMiB > 0:
		return int64(settingMiB) << 20
	}
	if hashSlots <= 0 {
		hashSlots = runtime.NumCPU() // argon2hash's default
	}
	return int64(memoryBaseMiB+memoryPerHashMiB*hashSlots) << 20
}

// memoryModule sets the Go runtime's soft memory limit while authd runs.
// With GOGC alone the heap doubles past its live size under load (peak
// RSS 85-89 MiB against 60 MiB at rest); with a soft limit the collector
// runs earlier instead. GOMEMLIMIT in the environment, the runtime's own
// setting, wins. Once started it also returns start-up garbage to the OS:
// zxcvbn's dictionaries allocate 18 MiB at package init, of which 7 MiB
// stay live.
func memoryModule(settingMiB, hashSlots int) fx.Option {
	return fx.Invoke(func(lc fx.Lifecycle) {
		prev := int64(-1)
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
					prev = debug.SetMemoryLimit(memoryLimit(settingMiB, hashSlots))
				}
				debug.FreeOSMemory()
				return nil
			},
			OnStop: func(context.Context) error {
				if prev >= 0 {
					debug.SetMemoryLimit(prev)
				}
				return nil
			},
		})
	})
}
