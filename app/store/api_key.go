package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIKey is a JSON API client's key. SecretHash is the SHA-256 of the
// whole key; the key itself is never stored.
type APIKey struct {
	ID         int64 `gorm:"primaryKey"`
	KeyID      string
	Name       string
	SecretHash []byte
	Scopes     string // comma-separated: send, read, admin
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName names APIKey's table for gorm.
func (APIKey) TableName() string { return "api_keys" }

// ScopeList returns the key's scopes.
func (k APIKey) ScopeList() []string {
	return strings.Split(k.Scopes, ",")
}

// CreateAPIKey stores a new key and fills its id.
func (s *Store) CreateAPIKey(ctx context.Context, key *APIKey) error {
	if err := s.DB.WithContext(ctx).Create(key).Error; err != nil {
		return fmt.Errorf("creating API key: %w", err)
	}

	return nil
}

// FindAPIKey returns the unrevoked key with keyID.
func (s *Store) FindAPIKey(ctx context.Context, keyID string) (APIKey, error) {
	var key APIKey
	err := s.DB.WithContext(ctx).Where("key_id = ? AND revoked_at IS NULL", keyID).Take(&key).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return APIKey{}, ErrNotFound
	}
	if err != nil {
		return APIKey{}, fmt.Errorf("finding API key: %w", err)
	}

	return key, nil
}

// ListAPIKeys returns every key, revoked ones included, newest first.
func (s *Store) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	var keys []APIKey
	if err := s.DB.WithContext(ctx).Order("id DESC").Find(&keys).Error; err != nil {
		return nil, fmt.Errorf("listing API keys: %w", err)
	}

	return keys, nil
}

// RevokeAPIKey revokes the key with keyID; ErrNotFound when no such key is
// active.
func (s *Store) RevokeAPIKey(ctx context.Context, keyID string) error {
	result := s.DB.WithContext(ctx).Model(&APIKey{}).
		Where("key_id = ? AND revoked_at IS NULL", keyID).Update("revoked_at", time.Now())
	if result.Error != nil {
		return fmt.Errorf("revoking API key %s: %w", keyID, result.Error)
	}
	if result.RowsAffected == 0 {
		return ErrNotFound
	}

	return nil
}

// TouchAPIKey records that the key was used at now.
func (s *Store) TouchAPIKey(ctx context.Context, id int64, now time.Time) error {
	err := s.DB.WithContext(ctx).Model(&APIKey{}).Where("id = ?", id).Update("last_used_at", now).Error
	if err != nil {
		return fmt.Errorf("touching API key %d: %w", id, err)
	}

	return nil
}
