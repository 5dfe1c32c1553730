package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// AuditEntry is one row of the audit log. Details never hold patient data.
type AuditEntry struct {
	ID        int64     `gorm:"primaryKey"`
	At        time.Time `gorm:"autoCreateTime:false"`
	Actor     string
	Action    string
	Target    string
	Details   []byte
	RequestID string
	ClientIP  string `gorm:"column:client_ip"`
}

// AuditEvent is an action to record: who did it, from where, to what.
type AuditEvent struct {
	Actor     string
	Action    string
	Target    string
	RequestID string
	ClientIP  string
	Details   map[string]any
}

// TableName names AuditEntry's table for gorm.
func (AuditEntry) TableName() string { return "audit_log" }

// Audit appends an entry; details are encoded as JSON.
func (s *Store) Audit(ctx context.Context, event AuditEvent) error {
	encoded, err := json.Marshal(event.Details)
	if err != nil {
		return fmt.Errorf("encoding audit details of %s: %w", event.Action, err)
	}
	if event.Details == nil {
		encoded = []byte("{}")
	}
	entry := AuditEntry{
		At: time.Now(), Actor: event.Actor, Action: event.Action, Target: event.Target,
		Details: encoded, RequestID: event.RequestID, ClientIP: event.ClientIP,
	}
	if err := s.DB.WithContext(ctx).Create(&entry).Error; err != nil {
		return fmt.Errorf("writing audit entry %s: %w", event.Action, err)
	}

	return nil
}

// AuditFilter selects audit entries. Action, Actor and Target each match
// exactly when set. Before is the id cursor: only entries with a smaller id
// are returned.
type AuditFilter struct {
	Action string
	Actor  string
	Target string
	Before int64
	Limit  int
}

// ListAudit returns entries newest first and whether more follow.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, bool, error) {
	query := s.DB.WithContext(ctx).Order("id DESC").Limit(f.Limit + 1)
	if f.Action != "" {
		query = query.Where("action = ?", f.Action)
	}
	if f.Actor != "" {
		query = query.Where("actor = ?", f.Actor)
	}
	if f.Target != "" {
		query = query.Where("target = ?", f.Target)
	}
	if f.Before > 0 {
		query = query.Where("id < ?", f.Before)
	}

	var entries []AuditEntry
	if err := query.Find(&entries).Error; err != nil {
		return nil, false, fmt.Errorf("listing audit log: %w", err)
	}
	more := len(entries) > f.Limit
	if more {
		entries = entries[:f.Limit]
	}

	return entries, more, nil
}
