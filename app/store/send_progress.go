package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// CountTransactionStatuses returns how many of the transactions with the
// given ids are in each status. Ids that name no transaction are not
// counted, and statuses no transaction has are left out.
func (s *Store) CountTransactionStatuses(ctx context.Context, ids []uuid.UUID) (map[string]int, error) {
	counts := map[string]int{}
	if len(ids) == 0 {
		return counts, nil
	}

	var rows []struct {
		Status string
		Count  int
	}
	err := s.DB.WithContext(ctx).Table("transactions").
		Select("status, count(*) AS count").
		Where("id IN ?", ids).
		Group("status").
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("counting transaction statuses: %w", err)
	}
	for _, row := range rows {
		counts[row.Status] = row.Count
	}

	return counts, nil
}
