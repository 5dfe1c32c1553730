package store

import (
	"context"
	"fmt"
	"strings"
)

// FindTransactionsByIdempotencyPrefix returns every transaction whose
// idempotency key starts with prefix.
func (s *Store) FindTransactionsByIdempotencyPrefix(ctx context.Context, prefix string) ([]Transaction, error) {
	escaper := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	var found []Transaction
	err := s.DB.WithContext(ctx).Where(`idempotency_key LIKE ? ESCAPE '\'`, escaper.Replace(prefix)+"%").
		Order("id").Find(&found).Error
	if err != nil {
		return nil, fmt.Errorf("finding transactions by idempotency key prefix: %w", err)
	}

	return found, nil
}
