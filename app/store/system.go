package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// System is a configured EHR system (a row of ehr_systems).
type System struct {
	ID         int64
	Name       string
	Family     string
	BaseURL    string
	PracticeID string
	AuthKind   string
	ClientID   string
	SecretEnv  string
	Options    StringMap
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName names System's table for gorm.
func (System) TableName() string { return "ehr_systems" }

// FindSystem returns the system whose name matches name case-insensitively.
func (s *Store) FindSystem(ctx context.Context, name string) (System, error) {
	var system System
	err := s.DB.WithContext(ctx).Where("lower(name) = lower(?)", name).Take(&system).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return System{}, ErrNotFound
	}
	if err != nil {
		return System{}, fmt.Errorf("finding EHR system: %w", err)
	}

	return system, nil
}

// ListSystems returns every system ordered by name.
func (s *Store) ListSystems(ctx context.Context) ([]System, error) {
	var systems []System
	if err := s.DB.WithContext(ctx).Order("lower(name)").Find(&systems).Error; err != nil {
		return nil, fmt.Errorf("listing EHR systems: %w", err)
	}

	return systems, nil
}

// ErrDuplicateName reports that a system with the same name exists.
var ErrDuplicateName = errors.New("an EHR system with this name exists")

// CreateSystem inserts a system together with its first mapping version.
func (s *Store) CreateSystem(ctx context.Context, system *System, firstMapping []byte, comment string) error {
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(system).Error; err != nil {
			return err
		}
		return tx.Create(&MappingVersion{
			EHRSystemID: system.ID, Version: 1, Config: firstMapping, Comment: comment,
		}).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrDuplicateName
	}
	if err != nil {
		return fmt.Errorf("creating EHR system: %w", err)
	}

	return nil
}

// CountSystems returns how many systems exist.
func (s *Store) CountSystems(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB.WithContext(ctx).Model(&System{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("counting EHR systems: %w", err)
	}

	return n, nil
}

// FindSystemByID returns the system with the given id.
func (s *Store) FindSystemByID(ctx context.Context, id int64) (System, error) {
	var system System
	err := s.DB.WithContext(ctx).Take(&system, id).Error

	return system, notFoundOr(err, fmt.Sprintf("finding EHR system %d", id))
}
