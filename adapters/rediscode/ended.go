package rediscode

import (
	"context"
	"time"

	"github.com/redis/rueidis"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.EndedSessions = (*EndedSessions)(nil)

// checkTimeout bounds one look-up: a healthy Redis answers in a
// millisecond, so a second means it is gone and the answer is 503.
const checkTimeout = time.Second

// EndedSessions keeps ended session ids in Redis, one key per session that
// expires with the session's last access token, and reads them through
// rueidis server-assisted client-side caching: the first check of a
// session id asks Redis, later checks are a memory lookup, and Redis
// pushes an invalidation to every instance that cached a key when a
// MarkEnded writes it (within milliseconds, well inside the one-second
// promise). rueidis drops its cache when a connection breaks, so an
// instance cut off from Redis asks the server again and fails closed with
// domain.ErrUnavailable instead of trusting a stale answer.
type EndedSessions struct {
	client rueidis.Client
	prefix string
	keep   time.Duration
}

// NewEndedSessions connects a caching client of its own (the code store's
// client reads fresh on purpose, see New).
func NewEndedSessions(cfg Config, keep time.Duration) (*EndedSessions, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opt, err := cfg.clientOption()
	if err != nil {
		return nil, err
	}
	client, err := rueidis.NewClient(opt)
	if err != nil {
		return nil, domain.Unavailable("redis", err)
	}
	return &EndedSessions{client: client, prefix: cfg.prefix() + ":ended:", keep: keep}, nil
}

// Close closes the connections.
func (e *EndedSessions) Close() { e.client.Close() }

// MarkEnded implements ports.EndedSessions: one SET per id, pipelined (in a
// cluster the ids hash to different slots, so they cannot share a script).
func (e *EndedSessions) MarkEnded(ctx context.Context, ids []string, _ time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*checkTimeout)
	defer cancel()
	cmds := make(rueidis.Commands, len(ids))
	for i, id := range ids {
		cmds[i] = e.client.B().Set().Key(e.prefix + id).Value("1").Px(e.keep).Build()
	}
	for _, r := range e.client.DoMulti(ctx, cmds...) {
		if err := r.Error(); err != nil {
			return domain.Unavailable("redis", err)
		}
	}
	return nil
}

// IsEnded implements ports.EndedSessions. An answer is cached for at most
// keep; Redis caps a cached key's life by its TTL.
func (e *EndedSessions) IsEnded(ctx context.Context, id string, _ time.Time) (bool, error) {
	// Bounded: with the server gone a cached read can wait on a dead
	// connection, and every authenticated request waits on this one.
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	err := e.client.DoCache(ctx, e.client.B().Get().Key(e.prefix+id).Cache(), e.keep).Error()
	switch {
	case rueidis.IsRedisNil(err):
		return false, nil
	case err != nil:
		return false, domain.Unavailable("redis", err)
	}
	return true, nil
}
