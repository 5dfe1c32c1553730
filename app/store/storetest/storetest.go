// Package storetest gives tests their own PostgreSQL database. The server
// comes from TEST_DATABASE_URL (default: postgres://postgres@127.0.0.1:5432/postgres).
// When it cannot be reached, tests fail under CI=true and are skipped
// otherwise, so a laptop without PostgreSQL can still run the unit tests.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ehrbridge/app/store"
)

const defaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL returns the URL of the maintenance database of the test server.
func ServerURL() string {
	if raw := os.Getenv("TEST_DATABASE_URL"); raw != "" {
		return raw
	}

	return defaultServerURL
}

// RequireServer fails (under CI=true) or skips the test when PostgreSQL
// does not answer.
func RequireServer(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	conn, err := pgx.Connect(ctx, ServerURL())
	if err == nil {
		conn.Close(ctx)
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL at TEST_DATABASE_URL is required under CI=true: %v", err)
	}
	t.Skipf("PostgreSQL not reachable (set TEST_DATABASE_URL): %v", err)
}

// NewDatabaseURL returns the URL of a database name that does not exist
// yet, and drops that database when the test ends.
func NewDatabaseURL(t testing.TB) string {
	t.Helper()
	RequireServer(t)

	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		t.Fatalf("random database name: %v", err)
	}
	name := "ehrbridge_test_" + hex.EncodeToString(suffix)

	u, err := url.Parse(ServerURL())
	if err != nil {
		t.Fatalf("parsing TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	t.Cleanup(func() {
		if err := store.DropDatabase(context.Background(), ServerURL(), name); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})

	return u.String()
}
