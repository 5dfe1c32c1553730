package store

import (
	"context"
	"fmt"
)

// CurrentMappingVersions returns the newest mapping version of every
// system, without its config, keyed by system id.
func (s *Store) CurrentMappingVersions(ctx context.Context) (map[int64]MappingVersion, error) {
	var rows []MappingVersion
	err := s.DB.WithContext(ctx).Raw(`
		SELECT DISTINCT ON (ehr_system_id) ehr_system_id, version, comment, created_by, created_at
		FROM mappings
		ORDER BY ehr_system_id, version DESC`).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("listing current mapping versions: %w", err)
	}

	current := make(map[int64]MappingVersion, len(rows))
	for _, row := range rows {
		current[row.EHRSystemID] = row
	}

	return current, nil
}
