package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MappingVersion is one immutable mapping version (a row of mappings).
// Config is the JSON of an ehr.Config.
type MappingVersion struct {
	EHRSystemID int64 `gorm:"column:ehr_system_id;primaryKey"`
	Version     int   `gorm:"primaryKey"`
	Config      []byte
	Comment     string
	CreatedBy   string
	CreatedAt   time.Time
}

// TableName names MappingVersion's table for gorm.
func (MappingVersion) TableName() string { return "mappings" }

// CurrentMapping returns the newest mapping version of a system.
func (s *Store) CurrentMapping(ctx context.Context, systemID int64) (MappingVersion, error) {
	var m MappingVersion
	err := s.DB.WithContext(ctx).Where("ehr_system_id = ?", systemID).Order("version DESC").Take(&m).Error

	return m, notFoundOr(err, "loading current mapping")
}

// Mapping returns one mapping version of a system.
func (s *Store) Mapping(ctx context.Context, systemID int64, version int) (MappingVersion, error) {
	var m MappingVersion
	err := s.DB.WithContext(ctx).Where("ehr_system_id = ? AND version = ?", systemID, version).Take(&m).Error

	return m, notFoundOr(err, "loading mapping version")
}

// MappingVersions lists a system's versions, newest first, without configs.
func (s *Store) MappingVersions(ctx context.Context, systemID int64) ([]MappingVersion, error) {
	var versions []MappingVersion
	err := s.DB.WithContext(ctx).
		Select("ehr_system_id", "version", "comment", "created_by", "created_at").
		Where("ehr_system_id = ?", systemID).Order("version DESC").Find(&versions).Error
	if err != nil {
		return nil, fmt.Errorf("listing mapping versions: %w", err)
	}

	return versions, nil
}

// SaveMapping stores config as the system's next version and returns it.
// The system row is locked so that two saves at once get two versions.
func (s *Store) SaveMapping(ctx context.Context, systemID int64, config []byte, comment, createdBy string) (MappingVersion, error) {
	saved := MappingVersion{EHRSystemID: systemID, Config: config, Comment: comment, CreatedBy: createdBy}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var system System
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&system, systemID).Error; err != nil {
			return err
		}
		var newest int
		if err := tx.Model(&MappingVersion{}).Where("ehr_system_id = ?", systemID).
			Select("COALESCE(MAX(version), 0)").Scan(&newest).Error; err != nil {
			return err
		}
		saved.Version = newest + 1
		return tx.Create(&saved).Error
	})

	return saved, notFoundOr(err, "saving mapping")
}

// notFoundOr turns gorm's not-found error into ErrNotFound and wraps any
// other error with the operation.
func notFoundOr(err error, operation string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	default:
		return fmt.Errorf("%s: %w", operation, err)
	}
}
