package wiring

import (
	"math"
	"runtime"
	"testing"
)

func TestMemoryLimit(t *testing.T) {
	tests := []struct {
		name              string
		settingMiB, slots int
		want              int64
	}{
		{"default with two hashing slots", 0, 2, 80 << 20},
		{"default with one slot per CPU", 0, 0, int64(40+20*runtime.NumCPU()) << 20},
		{"set", 48, 2, 48 << 20},
		{"none", -1, 2, math.MaxInt64},
	}
	for _, tt := range tests {
		if got := memoryLimit(tt.settingMiB, tt.slots); got != tt.want {
			t.Errorf("%s: memoryLimit(%d, %d) = %d, want %d", tt.name, tt.settingMiB, tt.slots, got, tt.want)
		}
	}
}
