package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// ResealResult counts the transactions a key rotation visited.
type ResealResult struct {
	// Resealed counts transactions with at least one value sealed again with
	// the current key and none that failed.
	Resealed int
	// Current counts transactions with nothing to do, because every value
	// was already sealed with the current key or purged.
	Current int
	// Failed lists the values that could not be re-encrypted, at most one
	// per transaction.
	Failed []ResealFailure
}

// ResealFailure is a stored value that could not be re-encrypted. Err wraps
// seal.ErrUnknownKey or seal.ErrTampered when no configured key opens the
// value, and never contains the value.
type ResealFailure struct {
	TransactionID uuid.UUID
	Column        string
	Err           error
}

// maxResealWrites bounds the compare-and-swap attempts on one value that
// running servers keep changing.
const maxResealWrites = 3

// errResealContended reports a value that changed between every read and
// write of the rotation.
var errResealContended = errors.New("value changed during every attempt to re-encrypt it")

// sealedColumns is one transaction's stored payload and response.
type sealedColumns struct {
	ID       uuid.UUID
	Payload  []byte
	Response []byte
}

// ResealTransactions seals again with the keyring's current key every
// payload and response sealed with an older key or stored unsealed. It
// walks transactions in id order, batchSize rows per query, and writes each
// value with a compare-and-swap on the bytes it read, so servers may keep
// running, and a value they changed meanwhile is read again. A value that
// cannot be opened, or that changed during every attempt, is listed in the
// result and the walk goes on. A database error stops it.
func (s *Store) ResealTransactions(ctx context.Context, batchSize int) (ResealResult, error) {
	var result ResealResult
	if !s.Keyring.Enabled() {
		return result, errors.New("re-encrypting transactions: no current encryption key is configured")
	}
	if batchSize < 1 {
		return result, errors.New("re-encrypting transactions: the batch size must be at least 1")
	}

	after := uuid.Nil
	for {
		var rows []sealedColumns
		err := s.DB.WithContext(ctx).Table("transactions").Select("id, payload, response").
			Where("id > ?", after).Order("id").Limit(batchSize).Scan(&rows).Error
		if err != nil {
			return result, fmt.Errorf("reading transactions after %s: %w", after, err)
		}
		for _, row := range rows {
			if err := s.resealRow(ctx, row, &result); err != nil {
				return result, err
			}
		}
		if len(rows) < batchSize {
			return result, nil
		}
		after = rows[len(rows)-1].ID
	}
}

// resealRow reseals one transaction's payload and response and counts the
// transaction in result.
func (s *Store) resealRow(ctx context.Context, row sealedColumns, result *ResealResult) error {
	resealed := false
	for _, value := range []struct {
		column string
		stored []byte
	}{{columnPayload, row.Payload}, {columnResponse, row.Response}} {
		changed, err := s.resealValue(ctx, row.ID, value.column, value.stored)
		var failure *valueFailure
		switch {
		case errors.As(err, &failure):
			result.Failed = append(result.Failed, ResealFailure{TransactionID: row.ID, Column: value.column, Err: failure.err})
			return nil
		case err != nil:
			return err
		}
		resealed = resealed || changed
	}

	if resealed {
		result.Resealed++
	} else {
		result.Current++
	}

	return nil
}

// valueFailure marks a value the rotation reports and skips, unlike a
// database error, which stops it.
type valueFailure struct{ err error }

func (e *valueFailure) Error() string { return e.err.Error() }

// resealValue seals one stored value again with the current key when it
// needs it, and reports whether it wrote. The UPDATE matches the bytes it
// read, so a value a server rewrote or purged meanwhile is read again.
func (s *Store) resealValue(ctx context.Context, id uuid.UUID, column string, stored []byte) (bool, error) {
	for range maxResealWrites {
		if !s.Keyring.NeedsReseal(stored) {
			return false, nil
		}
		plaintext, err := s.openColumn(id, column, stored)
		if err != nil {
			return false, &valueFailure{err: err}
		}
		sealed, err := s.sealColumn(id, column, plaintext)
		if err != nil {
			return false, err
		}

		// column is one of the two constants above, never input.
		update := s.DB.WithContext(ctx).Exec(
			"UPDATE transactions SET "+column+" = ? WHERE id = ? AND "+column+" = ?", sealed, id, stored)
		if update.Error != nil {
			return false, fmt.Errorf("writing %s of transaction %s: %w", column, id, update.Error)
		}
		if update.RowsAffected == 1 {
			return true, nil
		}

		stored, err = s.loadColumn(ctx, id, column)
		if err != nil {
			return false, err
		}
	}

	return false, &valueFailure{err: fmt.Errorf("re-encrypting %s of transaction %s: %w", column, id, errResealContended)}
}

// loadColumn reads one stored value of a transaction. The value is nil
// when the transaction was deleted or the value purged.
func (s *Store) loadColumn(ctx context.Context, id uuid.UUID, column string) ([]byte, error) {
	var values [][]byte
	err := s.DB.WithContext(ctx).Table("transactions").Where("id = ?", id).Pluck(column, &values).Error
	if err != nil {
		return nil, fmt.Errorf("reading %s of transaction %s: %w", column, id, err)
	}
	if len(values) == 0 {
		return nil, nil
	}

	return values[0], nil
}
