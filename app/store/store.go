// Package store is ehrbridge's PostgreSQL storage: the connection pool,
// migrations, and the queries for EHR systems, mappings and transactions.
// SQL lives only here.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"ehrbridge/app/seal"
)

// ErrNotFound reports that a looked-up record does not exist.
var ErrNotFound = errors.New("record not found")

// Store holds one pgx pool and the gorm and database/sql handles opened on
// it, so gorm queries and the job queue can share transactions.
type Store struct {
	Pool *pgxpool.Pool
	SQL  *sql.DB
	DB   *gorm.DB
	// Keyring seals patient payloads and EHR responses before they are
	// written and opens them when read.
	Keyring *seal.Keyring
}

// Open connects to the database at url with at most maxConns connections.
func Open(ctx context.Context, url string, maxConns int) (*Store, error) {
	poolConfig, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parsing database URL: %w", err)
	}
	poolConfig.MaxConns = int32(maxConns)

	pool, err := pgxpool.NewWithConfig(ctx, poolConfig)
	if err != nil {
		return nil, fmt.Errorf("creating database pool: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(pool)

	// gorm's logger would print SQL with its arguments, which can hold
	// patient data, so it stays silent; callers log errors with ids.
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("opening gorm: %w", err)
	}

	return &Store{Pool: pool, SQL: sqlDB, DB: db}, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.Pool.Ping(ctx)
}

// Close releases every connection.
func (s *Store) Close() {
	_ = s.SQL.Close()
	s.Pool.Close()
}
