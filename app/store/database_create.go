package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// EnsureDatabase creates the database named in databaseURL when it does not
// exist, connecting to the server's "postgres" database to do so. It
// reports whether it created the database.
func EnsureDatabase(ctx context.Context, databaseURL string) (bool, error) {
	name, maintenanceURL, err := maintenanceTarget(databaseURL)
	if err != nil {
		return false, err
	}

	conn, err := pgx.Connect(ctx, maintenanceURL)
	if err != nil {
		return false, fmt.Errorf("connecting to the postgres database to check for %q: %w", name, err)
	}
	defer conn.Close(ctx)

	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("checking for database %q: %w", name, err)
	}
	if exists {
		return false, nil
	}

	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" {
		// Another process created it between the check and the create.
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("creating database %q: %w", name, err)
	}

	return true, nil
}

// DropDatabase removes the database named name, closing its other
// connections first. Tests use it to clean up.
func DropDatabase(ctx context.Context, maintenanceURL, name string) error {
	conn, err := pgx.Connect(ctx, maintenanceURL)
	if err != nil {
		return fmt.Errorf("connecting to drop database %q: %w", name, err)
	}
	defer conn.Close(ctx)

	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	if err != nil {
		return fmt.Errorf("dropping database %q: %w", name, err)
	}

	return nil
}

// maintenanceTarget splits a database URL into the database name and the
// URL of the same server's "postgres" database.
func maintenanceTarget(databaseURL string) (string, string, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", "", fmt.Errorf("parsing database URL: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return "", "", errors.New("database URL names no database")
	}
	u.Path = "/postgres"

	return name, u.String(), nil
}
