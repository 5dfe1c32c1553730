package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. TokenHash is the SHA-256 of the
// cookie's token.
type Session struct {
	TokenHash  []byte `gorm:"primaryKey"`
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	ClientIP   string `gorm:"column:client_ip"`
}

// TableName names Session's table for gorm.
func (Session) TableName() string { return "sessions" }

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, session *Session) error {
	if err := s.DB.WithContext(ctx).Create(session).Error; err != nil {
		return fmt.Errorf("creating session of user %d: %w", session.UserID, err)
	}

	return nil
}

// FindSession returns the session with tokenHash and its account when the
// session has not expired, has been used within idle, and its account is
// active; ErrNotFound otherwise.
func (s *Store) FindSession(ctx context.Context, tokenHash []byte, now time.Time, idle time.Duration) (Session, User, error) {
	var session Session
	err := s.DB.WithContext(ctx).
		Where("token_hash = ? AND expires_at > ? AND last_seen_at > ?", tokenHash, now, now.Add(-idle)).
		Take(&session).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Session{}, User{}, ErrNotFound
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("finding session: %w", err)
	}

	user, err := s.FindUser(ctx, session.UserID)
	if err != nil {
		return Session{}, User{}, err
	}
	if !user.Active() {
		return Session{}, User{}, ErrNotFound
	}

	return session, user, nil
}

// TouchSession records that the session was used at now.
func (s *Store) TouchSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	err := s.DB.WithContext(ctx).Model(&Session{}).Where("token_hash = ?", tokenHash).Update("last_seen_at", now).Error
	if err != nil {
		return fmt.Errorf("touching session: %w", err)
	}

	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	if err := s.DB.WithContext(ctx).Where("token_hash = ?", tokenHash).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("deleting session: %w", err)
	}

	return nil
}

// DeleteExpiredSessions removes sessions past their end or idle too long,
// and returns how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	result := s.DB.WithContext(ctx).Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-idle)).Delete(&Session{})
	if result.Error != nil {
		return 0, fmt.Errorf("deleting expired sessions: %w", result.Error)
	}

	return result.RowsAffected, nil
}
