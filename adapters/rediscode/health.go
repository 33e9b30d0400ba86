package rediscode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/redis/rueidis"
)

// clusterSlots is the number of hash slots of a Redis Cluster.
const clusterSlots = 16384

// slotRange is a run of slots one master serves, from CLUSTER SLOTS.
type slotRange struct {
	first, last int64
	master      string
}

// pingCluster checks the cluster as it is now. A keyless PING goes to any
// connection rueidis holds, the configured seed addresses included even
// after their node died and a replica took over, so readiness flapped while
// every code request worked. Instead it reads the current slot map from a
// node that answers and sends one slot-routed read to every master, the way
// Issue and Verify reach them: ready means every slot's master answers.
func (s *Store) pingCluster(ctx context.Context) error {
	ranges, err := s.slotRanges(ctx)
	if err != nil {
		return err
	}
	keys, err := masterKeys(s.prefix, ranges)
	if err != nil {
		return err
	}
	cmds := make(rueidis.Commands, 0, len(keys))
	for _, k := range keys {
		cmds = append(cmds, s.client.B().Exists().Key(k).Build())
	}
	for _, r := range s.client.DoMulti(ctx, cmds...) {
		if err := r.Error(); err != nil {
			return err
		}
	}
	return nil
}

// slotRanges asks the known nodes for CLUSTER SLOTS until one answers.
func (s *Store) slotRanges(ctx context.Context) ([]slotRange, error) {
	var errs []error
	for addr, node := range s.client.Nodes() {
		msg, err := node.Do(ctx, node.B().ClusterSlots().Build()).ToMessage()
		if err == nil {
			var ranges []slotRange
			if ranges, err = parseSlots(msg); err == nil {
				return ranges, nil
			}
		}
		errs = append(errs, fmt.Errorf("%s: %w", addr, err))
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return nil, errors.New("no cluster node known")
	}
	return nil, errors.Join(errs...)
}

// parseSlots reads a CLUSTER SLOTS reply: entries of first slot, last slot
// and the master's [host, port, ...], then its replicas.
func parseSlots(msg rueidis.RedisMessage) ([]slotRange, error) {
	entries, err := msg.ToArray()
	if err != nil {
		return nil, err
	}
	var ranges []slotRange
	var covered int64
	for _, e := range entries {
		fields, err := e.ToArray()
		if err != nil || len(fields) < 3 {
			return nil, fmt.Errorf("CLUSTER SLOTS entry: %v", e)
		}
		first, err1 := fields[0].AsInt64()
		last, err2 := fields[1].AsInt64()
		node, err3 := fields[2].ToArray()
		if err := errors.Join(err1, err2, err3); err != nil || len(node) < 2 || first < 0 || last < first || last >= clusterSlots {
			return nil, fmt.Errorf("CLUSTER SLOTS entry: %v", e)
		}
		host, err1 := node[0].ToString()
		port, err2 := node[1].AsInt64()
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("CLUSTER SLOTS node: %w", err)
		}
		ranges = append(ranges, slotRange{first: first, last: last,
			master: net.JoinHostPort(host, strconv.FormatInt(port, 10))})
		covered += last - first + 1
	}
	if covered < clusterSlots {
		return nil, fmt.Errorf("cluster serves %d of %d slots", covered, clusterSlots)
	}
	return ranges, nil
}

// masterKeys returns one key per master, hashed into a slot it serves.
func masterKeys(prefix string, ranges []slotRange) ([]string, error) {
	need := map[string][]slotRange{}
	for _, r := range ranges {
		need[r.master] = append(need[r.master], r)
	}
	keys := make([]string, 0, len(need))
	// A master with one slot is found within a few times 16384 tries.
	for i := 0; len(need) > 0 && i < 1<<20; i++ {
		tag := "ready" + strconv.Itoa(i)
		slot := int64(crc16(tag) % clusterSlots)
		for m, rs := range need {
			for _, r := range rs {
				if slot >= r.first && slot <= r.last {
					keys = append(keys, prefix+":{"+tag+"}:ready")
					delete(need, m)
					break
				}
			}
		}
	}
	if len(need) > 0 {
		return nil, fmt.Errorf("no key found for the slots of %d masters", len(need))
	}
	return keys, nil
}

// crc16 is the CRC-16/XMODEM Redis Cluster hashes keys with.
func crc16(s string) uint16 {
	var crc uint16
	for i := range len(s) {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
