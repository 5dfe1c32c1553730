package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// UserChange is an edit of an account; nil fields stay as they are.
type UserChange struct {
	Role         *string
	PasswordHash *string
	Disabled     *bool
}

// UpdateUser applies change to the account with id. Demoting or disabling
// the last active admin fails with ErrLastAdmin. A new password, a new
// role or disabling ends the account's sessions, so the change takes
// effect at once.
func (s *Store) UpdateUser(ctx context.Context, id int64, change UserChange) (User, error) {
	var updated User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Locking every admin row serializes concurrent demotions, so
		// two of them cannot each leave the other as the last admin.
		var admins []int64
		if err := tx.Raw("SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE").
			Scan(&admins).Error; err != nil {
			return err
		}
		current, err := (&Store{DB: tx}).FindUser(ctx, id)
		if err != nil {
			return err
		}
		if removesAdmin(current, change) && len(admins) <= 1 {
			return ErrLastAdmin
		}

		if err := tx.Model(&User{}).Where("id = ?", id).Updates(change.columns()).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
			return err
		}
		updated, err = (&Store{DB: tx}).FindUser(ctx, id)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("updating user %d: %w", id, err)
	}

	return updated, nil
}

func removesAdmin(u User, change UserChange) bool {
	if u.Role != "admin" || !u.Active() {
		return false
	}
	demoted := change.Role != nil && *change.Role != "admin"
	disabled := change.Disabled != nil && *change.Disabled

	return demoted || disabled
}

func (c UserChange) columns() map[string]any {
	columns := map[string]any{"updated_at": time.Now()}
	if c.Role != nil {
		columns["role"] = *c.Role
	}
	if c.PasswordHash != nil {
		columns["password_hash"] = *c.PasswordHash
	}
	if c.Disabled != nil {
		columns["disabled_at"] = nil
		if *c.Disabled {
			columns["disabled_at"] = time.Now()
		}
	}

	return columns
}
