package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// User is an account of the admin UI.
type User struct {
	ID           int64 `gorm:"primaryKey"`
	Username     string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DisabledAt   *time.Time
	LastLoginAt  *time.Time
}

// TableName names User's table for gorm.
func (User) TableName() string { return "users" }

// Active reports whether the account may sign in.
func (u User) Active() bool {
	return u.DisabledAt == nil
}

// ErrUsernameTaken reports a user name already in use.
var ErrUsernameTaken = errors.New("a user with this name exists")

// ErrLastAdmin reports a change that would leave no active admin.
var ErrLastAdmin = errors.New("the last active admin cannot be demoted or disabled")

// CreateUser inserts u and fills its id.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	err := s.DB.WithContext(ctx).Create(u).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrUsernameTaken
	}
	if err != nil {
		return fmt.Errorf("creating user: %w", err)
	}

	return nil
}

// FindUserByName returns the account named username.
func (s *Store) FindUserByName(ctx context.Context, username string) (User, error) {
	return s.findUser(ctx, "username = ?", username)
}

// FindUser returns the account with id.
func (s *Store) FindUser(ctx context.Context, id int64) (User, error) {
	return s.findUser(ctx, "id = ?", id)
}

func (s *Store) findUser(ctx context.Context, query string, arg any) (User, error) {
	var u User
	err := s.DB.WithContext(ctx).Where(query, arg).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("finding user: %w", err)
	}

	return u, nil
}

// ListUsers returns every account by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var users []User
	if err := s.DB.WithContext(ctx).Order("username").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}

	return users, nil
}

// CountActiveAdmins counts the accounts that may administer ehrbridge.
func (s *Store) CountActiveAdmins(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&User{}).Where("role = 'admin' AND disabled_at IS NULL").Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("counting admins: %w", err)
	}

	return n, nil
}

// RecordLogin notes a successful sign-in.
func (s *Store) RecordLogin(ctx context.Context, id int64) error {
	err := s.DB.WithContext(ctx).Model(&User{}).Where("id = ?", id).Update("last_login_at", time.Now()).Error
	if err != nil {
		return fmt.Errorf("recording sign-in of user %d: %w", id, err)
	}

	return nil
}
