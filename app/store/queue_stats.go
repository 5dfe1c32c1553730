package store

import (
	"context"
	"fmt"
	"time"
)

// QueueStats summarizes River's job table.
type QueueStats struct {
	ByState             map[string]int64
	CompletedLastMinute int64
	FailedLastMinute    int64
	// OldestWaiting is the age of the oldest job due to run but not yet
	// started; zero when none waits.
	OldestWaiting time.Duration
}

// QueueStats reads the job counts by state and the last minute's activity.
// A failure in the last minute is an attempt that ended with an error:
// a job now waiting for a retry, discarded after its last attempt, or
// cancelled.
func (s *Store) QueueStats(ctx context.Context) (QueueStats, error) {
	stats := QueueStats{ByState: map[string]int64{}}
	rows, err := s.Pool.Query(ctx, "SELECT state::text, count(*) FROM river_job WHERE kind = 'deliver_transaction' GROUP BY state")
	if err != nil {
		return stats, fmt.Errorf("counting jobs by state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var count int64
		if err := rows.Scan(&state, &count); err != nil {
			return stats, fmt.Errorf("reading job counts: %w", err)
		}
		stats.ByState[state] = count
	}
	if err := rows.Err(); err != nil {
		return stats, fmt.Errorf("reading job counts: %w", err)
	}

	var oldestSeconds float64
	err = s.Pool.QueryRow(ctx, `SELECT
		count(*) FILTER (WHERE state = 'completed' AND finalized_at > now() - interval '1 minute'),
		count(*) FILTER (WHERE state IN ('retryable', 'discarded', 'cancelled') AND attempted_at > now() - interval '1 minute'),
		COALESCE(EXTRACT(EPOCH FROM now() - min(scheduled_at) FILTER (WHERE state = 'available' AND scheduled_at <= now())), 0)
		FROM river_job WHERE kind = 'deliver_transaction'`).Scan(&stats.CompletedLastMinute, &stats.FailedLastMinute, &oldestSeconds)
	if err != nil {
		return stats, fmt.Errorf("reading queue activity: %w", err)
	}
	stats.OldestWaiting = time.Duration(oldestSeconds * float64(time.Second))

	return stats, nil
}
