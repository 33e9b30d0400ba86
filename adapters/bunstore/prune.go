package bunstore

import (
	"context"
	"sync"
	"time"
)

// Pruning refresh_tokens: every refresh adds a row and nothing else deletes
// one. Expired tokens can never be used again, and a revoked family is dead
// for good: both go after a grace period (pruneGrace) that outlasts any
// refresh or revoke still in flight (a racing refresh's successor is
// recognised by the revoked rows of its family). Rotated tokens that have
// not expired stay: presenting one is how reuse is detected.
const (
	pruneGrace    = time.Hour
	pruneBatch    = 1000
	pruneInterval = 10 * time.Minute
	// prunePause between batches leaves the database to the requests (on
	// SQLite a batch holds the only write lock).
	prunePause = 50 * time.Millisecond
	// pruneMaxBatches bounds one round; what is left waits for the next.
	pruneMaxBatches = 200
)

// PruneRefreshTokens deletes at most batch tokens that expired before
// expiredBefore, then at most batch revoked before revokedBefore, and
// returns how many rows went. Several instances may run it at once: on
// Postgres each batch skips rows another batch has locked.
func (s *Store) PruneRefreshTokens(ctx context.Context, expiredBefore, revokedBefore time.Time, batch int) (int, error) {
	total := 0
	for _, where := range []struct {
		cond string
		at   time.Time
	}{{"expires_at < ?", expiredBefore}, {"revoked_at < ?", revokedBefore}} {
		sub := s.db.NewSelect().Model((*refreshTokenRow)(nil)).Column("id").
			Where(where.cond, ts(where.at)).Limit(int64(batch))
		if s.dialect == Postgres {
			sub.For("UPDATE SKIP LOCKED")
		}
		res, err := s.db.NewDelete().Model((*refreshTokenRow)(nil)).Where("id IN (?)", sub).Exec(ctx)
		if err != nil {
			return total, translate(err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
	}
	return total, nil
}

// pruneRound deletes in batches until a batch comes back short.
func (s *Store) pruneRound(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for range pruneMaxBatches {
		n, err := s.PruneRefreshTokens(ctx, now.Add(-pruneGrace), now.Add(-pruneGrace), pruneBatch)
		total += n
		if err != nil || n < pruneBatch {
			return total, err
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(prunePause):
		}
	}
	return total, nil
}

// pruner runs pruneRound every interval from start to stop.
type pruner struct {
	store    *Store
	interval time.Duration
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

func (p *pruner) start() {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.wg.Go(func() {
		t := time.NewTicker(p.interval)
		defer t.Stop()
		for {
			n, err := p.store.pruneRound(ctx, time.Now())
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				// The database may be down; the next round tries again.
				p.store.logger.WarnContext(ctx, "pruning refresh tokens failed", "deleted", n, "err", err)
			case n > 0:
				p.store.logger.InfoContext(ctx, "pruned refresh tokens", "deleted", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
}

func (p *pruner) stop() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}
