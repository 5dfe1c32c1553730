package store

import (
	"fmt"

	"github.com/google/uuid"
)

// Columns of transactions that hold patient data and are sealed at rest.
const (
	columnPayload  = "payload"
	columnResponse = "response"
)

// transactionAssociatedData binds a sealed value to its transaction and
// column, so a value copied to another row or column fails to open.
func transactionAssociatedData(id uuid.UUID, column string) []byte {
	return []byte("transactions/" + id.String() + "/" + column)
}

// sealColumn encrypts one column's value of transaction id. Nil stays nil,
// and without an encryption key the value is stored as it is.
func (s *Store) sealColumn(id uuid.UUID, column string, plaintext []byte) ([]byte, error) {
	sealed, err := s.Keyring.Seal(plaintext, transactionAssociatedData(id, column))
	if err != nil {
		return nil, fmt.Errorf("encrypting %s of transaction %s: %w", column, id, err)
	}

	return sealed, nil
}

// openColumn decrypts one column's stored value. The error names the
// transaction, the column and the failure (seal.ErrUnknownKey or
// seal.ErrTampered), never the value.
func (s *Store) openColumn(id uuid.UUID, column string, stored []byte) ([]byte, error) {
	plaintext, err := s.Keyring.Open(stored, transactionAssociatedData(id, column))
	if err != nil {
		return nil, fmt.Errorf("decrypting %s of transaction %s: %w", column, id, err)
	}

	return plaintext, nil
}

// openTransaction replaces the sealed payload and response of t with their
// plaintext. A value that cannot be decrypted leaves both nil and sets
// t.SealError, so the transaction's metadata and ledger stay readable.
func (s *Store) openTransaction(t *Transaction) error {
	payload, err := s.openColumn(t.ID, columnPayload, t.Payload)
	if err == nil {
		var response []byte
		response, err = s.openColumn(t.ID, columnResponse, t.Response)
		t.Payload, t.Response = payload, response
	}
	if err != nil {
		t.Payload, t.Response, t.SealError = nil, nil, err
	}

	return nil
}

// openTransactions opens every transaction of ts in place.
func (s *Store) openTransactions(ts []Transaction) error {
	for i := range ts {
		if err := s.openTransaction(&ts[i]); err != nil {
			return err
		}
	}

	return nil
}

// sealForInsert replaces the payload and response of each transaction of
// ts with their sealed form, for an insert, and returns the function that
// puts the plaintext back so that callers keep their values.
func (s *Store) sealForInsert(ts ...*Transaction) (restore func(), err error) {
	type plaintexts struct{ payload, response []byte }
	saved := make([]plaintexts, 0, len(ts))
	restore = func() {
		for i, p := range saved {
			ts[i].Payload, ts[i].Response = p.payload, p.response
		}
	}

	for _, t := range ts {
		payload, err := s.sealColumn(t.ID, columnPayload, t.Payload)
		if err != nil {
			restore()
			return nil, err
		}
		response, err := s.sealColumn(t.ID, columnResponse, t.Response)
		if err != nil {
			restore()
			return nil, err
		}
		saved = append(saved, plaintexts{t.Payload, t.Response})
		t.Payload, t.Response = payload, response
	}

	return restore, nil
}
