package rediscode

import (
	"testing"
)

// TestCRC16 checks the slot hash against Redis' own answers (CLUSTER
// KEYSLOT foo is 12182) and the CRC-16/XMODEM check value.
func TestCRC16(t *testing.T) {
	tests := []struct {
		in   string
		want uint16
	}{
		{"123456789", 0x31c3},
		{"foo", 12182},
		{"bar", 5061},
		{"", 0},
	}
	for _, tt := range tests {
		if got := crc16(tt.in) % clusterSlots; got != tt.want%clusterSlots {
			t.Errorf("slot(%q) = %d, want %d", tt.in, got, tt.want%clusterSlots)
		}
	}
}

// TestMasterKeys checks that every master gets a key in one of its own
// slots, a one-slot master included.
func TestMasterKeys(t *testing.T) {
	ranges := []slotRange{
		{0, 5000, "a:1"}, {5001, 5001, "b:1"}, {5002, 10000, "c:1"}, {10001, 16383, "a:1"},
	}
	keys, err := masterKeys("p", ranges)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Fatalf("keys %q, want one per master (3)", keys)
	}
	hit := map[string]bool{}
	for _, k := range keys {
		tag := k[len("p:{"):]
		tag = tag[:len(tag)-len("}:ready")]
		slot := int64(crc16(tag) % clusterSlots)
		for _, r := range ranges {
			if slot >= r.first && slot <= r.last {
				hit[r.master] = true
			}
		}
	}
	if len(hit) != 3 {
		t.Fatalf("keys %q reach masters %v, want all 3", keys, hit)
	}
}
