package store

import (
	"context"
	"fmt"
	"strings"
)

// FindTransactionsByIdempotencyPrefix returns every transaction whose
// idempotency key starts with prefix, payloads and responses decrypted.
func (s *Store) FindTransactionsByIdempotencyPrefix(ctx context.Context, prefix string) ([]Transaction, error) {
	escaper := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	var found []Transaction
	err := s.DB.WithContext(ctx).Where(`idempotency_key LIKE ? ESCAPE '\'`, escaper.Replace(prefix)+"%").
		Order("id").Find(&found).Error
	if err != nil {
		return nil, fmt.Errorf("finding transactions by idempotency key prefix: %w", err)
	}
	if err := s.openTransactions(found); err != nil {
		return nil, err
	}

	return found, nil
}
