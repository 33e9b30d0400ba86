package rediscode

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/redis/rueidis"

	"github.com/authd/authd/adapters/guardcount"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.GuardCounters = (*Guard)(nil)

// Guard keeps the abuse guard's counters in Redis, in the bucket layout of
// package guardcount: one hash per subject under a hash tag of its own, so
// every script touches one key and runs on Redis Cluster.
type Guard struct {
	client rueidis.Client
	prefix string
}

// NewGuard shares s's connections.
func NewGuard(s *Store) *Guard { return &Guard{client: s.client, prefix: s.prefix} }

// subjectKey is a subject's hash; sendKey remembers a phone's last send.
func (g *Guard) subjectKey(kind, key string) string {
	return g.prefix + ":{g" + kind[:1] + ":" + key + "}"
}

func (g *Guard) sendKey(phone string) string { return g.prefix + ":{" + phone + "}:gs" }

// Stats implements ports.GuardCounters: three reads at once. They are
// scripts, not plain HGETALLs, because rueidis retries read-only commands
// while Redis is down, which would hang the request instead of answering
// 503.
func (g *Guard) Stats(ctx context.Context, s ports.GuardSubject, grace time.Duration, now time.Time) (domain.GuardStats, error) {
	execs := make([]rueidis.LuaExec, 0, 3)
	for _, k := range []string{g.subjectKey(ports.GuardCountry, s.Country), g.subjectKey(ports.GuardPrefix, s.Prefix), g.subjectKey(ports.GuardIP, s.IP)} {
		execs = append(execs, rueidis.LuaExec{Keys: []string{k}})
	}
	var f [3]map[string]int64
	for i, r := range execAll(ctx, g.client, guardReadScript, execs) {
		m, err := r.AsIntMap()
		if err != nil && !rueidis.IsRedisNil(err) {
			return domain.GuardStats{}, domain.Unavailable("redis", err)
		}
		f[i] = m
	}
	return domain.GuardStats{
		Country:       guardcount.Summarize(f[0], grace, now),
		Prefix:        guardcount.Summarize(f[1], grace, now),
		IP:            guardcount.Summarize(f[2], grace, now),
		CountryNormal: guardcount.Learned(f[0], now),
		IPCountries:   guardcount.Countries(f[2], s.Country, now),
	}, nil
}

// RecordSend implements ports.GuardCounters: one script per subject, then
// a SET for the phone.
func (g *Guard) RecordSend(ctx context.Context, phone string, s ports.GuardSubject, now time.Time) error {
	b := guardcount.BoundsAt(now)
	bounds := []string{itoa(b.Minute), itoa(b.Hour), itoa(b.Day)}
	execs := make([]rueidis.LuaExec, 0, 3)
	for _, k := range [][2]string{{ports.GuardCountry, s.Country}, {ports.GuardPrefix, s.Prefix}, {ports.GuardIP, s.IP}} {
		ttl, country := guardcount.SubjectTTL, ""
		switch k[0] {
		case ports.GuardCountry:
			ttl = guardcount.CountryTTL
		case ports.GuardIP:
			country = guardcount.Country(s.Country)
		}
		args := append([]string{guardcount.MinuteSent(now), guardcount.HourSent(now), country,
			itoa(guardcount.CountryStamp(now)), ms(ttl)}, bounds...)
		execs = append(execs, rueidis.LuaExec{Keys: []string{g.subjectKey(k[0], k[1])}, Args: args})
	}
	for _, r := range execAll(ctx, g.client, guardSendScript, execs) {
		if err := r.Error(); err != nil {
			return domain.Unavailable("redis", err)
		}
	}
	rec := guardcount.Send{Subject: [3]string{s.Country, s.Prefix, s.IP}, At: now}.Encode()
	cmd := g.client.B().Set().Key(g.sendKey(phone)).Value(rec).Px(guardcount.SendTTL).Build()
	if err := g.client.Do(ctx, cmd).Error(); err != nil {
		return domain.Unavailable("redis", err)
	}
	return nil
}

// RecordVerified implements ports.GuardCounters. GETDEL makes the credit
// once per send even when two instances consume codes for one phone.
func (g *Guard) RecordVerified(ctx context.Context, phone string, now time.Time) error {
	v, err := g.client.Do(ctx, g.client.B().Getdel().Key(g.sendKey(phone)).Build()).ToString()
	if rueidis.IsRedisNil(err) {
		return nil
	}
	if err != nil {
		return domain.Unavailable("redis", err)
	}
	send, ok := guardcount.DecodeSend(v)
	if !ok {
		return nil
	}
	credit := guardcount.CreditVerified(send.At, now)
	execs := make([]rueidis.LuaExec, 0, 3)
	for i, kind := range []string{ports.GuardCountry, ports.GuardPrefix, ports.GuardIP} {
		fields := credit
		if kind == ports.GuardCountry {
			fields = append(fields[:len(fields):len(fields)], guardcount.DayVerified(now))
		}
		if len(fields) > 0 {
			execs = append(execs, rueidis.LuaExec{Keys: []string{g.subjectKey(kind, send.Subject[i])}, Args: fields})
		}
	}
	for _, r := range execAll(ctx, g.client, guardVerifyScript, execs) {
		if err := r.Error(); err != nil {
			return domain.Unavailable("redis", err)
		}
	}
	return nil
}

// Reset implements ports.GuardCounters.
func (g *Guard) Reset(ctx context.Context, kind, key string) error {
	if err := g.client.Do(ctx, g.client.B().Del().Key(g.subjectKey(kind, key)).Build()).Error(); err != nil {
		return domain.Unavailable("redis", err)
	}
	return nil
}

// execAll runs one script per subject at once; rueidis pipelines the
// concurrent calls into one write. Not Lua.ExecMulti: it loads the script
// on every node first, on every call, as a retryable command that would
// hang while Redis is down.
func execAll(ctx context.Context, c rueidis.Client, script *rueidis.Lua, execs []rueidis.LuaExec) []rueidis.RedisResult {
	out := make([]rueidis.RedisResult, len(execs))
	var wg sync.WaitGroup
	for i, e := range execs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = script.Exec(ctx, c, e.Keys, e.Args)
		}()
	}
	wg.Wait()
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// guardSendScript: KEYS subject; ARGV minute field, hour field, country
// field ("" for none), country stamp, ttl ms, oldest minute, hour, day.
// Counts the send; on the first send of a minute it drops the buckets that
// slid out (so a hash holds at most about a hundred fields).
var guardSendScript = rueidis.NewLuaScript(`
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], ARGV[3], ARGV[4]) end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if n == 1 then
  local all = redis.call('HGETALL', KEYS[1])
  local lim = {m = tonumber(ARGV[6]), h = tonumber(ARGV[7]), d = tonumber(ARGV[8])}
  for i = 1, #all, 2 do
    local f = all[i]
    local k = string.sub(f, 1, 1)
    local drop
    if k == 'c' then drop = tonumber(all[i + 1]) < lim.h
    else
      local pos = tonumber(string.match(f, '^%a(%d+):'))
      drop = pos == nil or lim[k] == nil or pos < lim[k]
    end
    if drop then redis.call('HDEL', KEYS[1], f) end
  end
end
return n
`)

// guardReadScript: KEYS subject. Replies its fields and counts.
var guardReadScript = rueidis.NewLuaScript(`return redis.call('HGETALL', KEYS[1])`)

// guardVerifyScript: KEYS subject; ARGV fields to increment. A subject an
// operator reset meanwhile is left alone.
var guardVerifyScript = rueidis.NewLuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for _, f in ipairs(ARGV) do redis.call('HINCRBY', KEYS[1], f, 1) end
return 1
`)
