package store

import (
	"context"
	"fmt"
)

// JobCount is how many queue jobs of one kind are in one state.
type JobCount struct {
	Kind  string
	State string
	Count int64
}

// QueueJobCounts counts queue jobs by kind and state.
func (s *Store) QueueJobCounts(ctx context.Context) ([]JobCount, error) {
	rows, err := s.Pool.Query(ctx, "SELECT kind, state::text, count(*) FROM river_job GROUP BY kind, state")
	if err != nil {
		return nil, fmt.Errorf("counting jobs by kind and state: %w", err)
	}
	defer rows.Close()

	var counts []JobCount
	for rows.Next() {
		var count JobCount
		if err := rows.Scan(&count.Kind, &count.State, &count.Count); err != nil {
			return nil, fmt.Errorf("reading job counts: %w", err)
		}
		counts = append(counts, count)
	}

	return counts, rows.Err()
}

// TransactionCountsByStatus counts transactions by status. Every status is
// present, with zero when no transaction has it.
func (s *Store) TransactionCountsByStatus(ctx context.Context) (map[string]int64, error) {
	rows, err := s.Pool.Query(ctx, `SELECT status.name, count(t.id)
		FROM unnest(ARRAY['queued', 'processing', 'succeeded', 'partially_failed', 'failed', 'dead']) AS status(name)
		LEFT JOIN transactions t ON t.status = status.name
		GROUP BY status.name`)
	if err != nil {
		return nil, fmt.Errorf("counting transactions by status: %w", err)
	}
	defer rows.Close()

	counts := map[string]int64{}
	for rows.Next() {
		var status string
		var count int64
		if err := rows.Scan(&status, &count); err != nil {
			return nil, fmt.Errorf("reading transaction counts: %w", err)
		}
		counts[status] = count
	}

	return counts, rows.Err()
}
