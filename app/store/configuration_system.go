package store

import (
	"context"
	"fmt"
)

// UpdateSystem writes the editable settings of the system with system.ID
// (base URL, practice id, auth kind, client id, secret variable name and
// options) and moves updated_at forward, which makes the app rebuild the
// system's integration. Name, family and created_at stay as they are. On
// success system holds the stored row; ErrNotFound means no such system.
func (s *Store) UpdateSystem(ctx context.Context, system *System) error {
	options := system.Options
	if options == nil {
		options = StringMap{}
	}

	var updated System
	err := s.DB.WithContext(ctx).Raw(`
		UPDATE ehr_systems
		SET base_url = ?, practice_id = ?, auth_kind = ?, client_id = ?, secret_env = ?, options = ?,
		    updated_at = greatest(clock_timestamp(), updated_at + interval '1 microsecond')
		WHERE id = ?
		RETURNING *`,
		system.BaseURL, system.PracticeID, system.AuthKind, system.ClientID, system.SecretEnv, options, system.ID,
	).Scan(&updated).Error
	if err != nil {
		return fmt.Errorf("updating EHR system %d: %w", system.ID, err)
	}
	if updated.ID == 0 {
		return ErrNotFound
	}
	*system = updated

	return nil
}
