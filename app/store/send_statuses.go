package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// TransactionStatuses returns the status of each of the transactions with
// the given ids. Ids that name no transaction are left out.
func (s *Store) TransactionStatuses(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	statuses := make(map[uuid.UUID]string, len(ids))
	if len(ids) == 0 {
		return statuses, nil
	}

	var rows []struct {
		ID     uuid.UUID
		Status string
	}
	err := s.DB.WithContext(ctx).Table("transactions").
		Select("id, status").
		Where("id IN ?", ids).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("reading transaction statuses: %w", err)
	}
	for _, row := range rows {
		statuses[row.ID] = row.Status
	}

	return statuses, nil
}
