package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrSchemaTooNew reports a database migrated by a newer ehrbridge than
// this binary: running on it could corrupt data the newer schema expects.
var ErrSchemaTooNew = errors.New("database schema is newer than this binary")

// migrationLockID is the advisory lock key that serializes migrations
// across copies of the binary starting at once.
const migrationLockID = 7_310_642_118

// Migration is one numbered SQL file.
type Migration struct {
	Version   int
	Name      string
	SQL       string
	AppliedAt *time.Time
}

// LoadMigrations reads NNNN_name.sql files from files in version order.
func LoadMigrations(files fs.FS) ([]Migration, error) {
	paths, err := fs.Glob(files, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	migrations := make([]Migration, 0, len(paths))
	for _, path := range paths {
		prefix, name, found := strings.Cut(strings.TrimSuffix(path, ".sql"), "_")
		version, err := strconv.Atoi(prefix)
		if !found || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", path)
		}
		body, err := fs.ReadFile(files, path)
		if err != nil {
			return nil, fmt.Errorf("reading migration %q: %w", path, err)
		}
		migrations = append(migrations, Migration{Version: version, Name: name, SQL: string(body)})
	}
	sort.Slice(migrations, func(i, j int) bool { return migrations[i].Version < migrations[j].Version })
	for i := 1; i < len(migrations); i++ {
		if migrations[i].Version == migrations[i-1].Version {
			return nil, fmt.Errorf("two migrations have version %d", migrations[i].Version)
		}
	}

	return migrations, nil
}

// Migrate applies every migration the database lacks, each in its own
// transaction, and returns the versions it applied. then, when not nil,
// runs after them under the same lock (the job queue's own migrations).
func (s *Store) Migrate(ctx context.Context, migrations []Migration, then func(context.Context) error) ([]int, error) {
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquiring connection for migrations: %w", err)
	}
	defer conn.Release()

	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
		return nil, fmt.Errorf("taking migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockID) //nolint:errcheck

	applied, err := appliedVersions(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	if err := checkNotTooNew(applied, migrations); err != nil {
		return nil, err
	}

	var done []int
	for _, m := range migrations {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		if err := applyMigration(ctx, conn.Conn(), m); err != nil {
			return done, err
		}
		done = append(done, m.Version)
	}
	if then != nil {
		if err := then(ctx); err != nil {
			return done, err
		}
	}

	return done, nil
}

// MigrationStatus returns every known migration with when it was applied,
// or an error wrapping ErrSchemaTooNew.
func (s *Store) MigrationStatus(ctx context.Context, migrations []Migration) ([]Migration, error) {
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquiring connection for migration status: %w", err)
	}
	defer conn.Release()

	applied, err := appliedVersions(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	out := make([]Migration, len(migrations))
	for i, m := range migrations {
		if at, ok := applied[m.Version]; ok {
			m.AppliedAt = &at
		}
		out[i] = m
	}

	return out, checkNotTooNew(applied, migrations)
}

func appliedVersions(ctx context.Context, conn *pgx.Conn) (map[int]time.Time, error) {
	_, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`)
	if err != nil {
		return nil, fmt.Errorf("creating schema_migrations: %w", err)
	}

	rows, err := conn.Query(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("reading schema_migrations: %w", err)
	}
	applied := map[int]time.Time{}
	var version int
	var at time.Time
	_, err = pgx.ForEachRow(rows, []any{&version, &at}, func() error {
		applied[version] = at
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading schema_migrations: %w", err)
	}

	return applied, nil
}

func checkNotTooNew(applied map[int]time.Time, known []Migration) error {
	newest := 0
	if len(known) > 0 {
		newest = known[len(known)-1].Version
	}
	for version := range applied {
		if version > newest {
			return fmt.Errorf("%w: database has migration %d, this binary knows up to %d; run a newer ehrbridge", ErrSchemaTooNew, version, newest)
		}
	}

	return nil
}

func applyMigration(ctx context.Context, conn *pgx.Conn, m Migration) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name)
		return err
	})
	if err != nil {
		return fmt.Errorf("applying migration %04d_%s: %w", m.Version, m.Name, err)
	}

	return nil
}
