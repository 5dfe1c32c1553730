package store_test

import (
	"context"
	"errors"
	"testing"

	"ehrbridge/app/store"
	"ehrbridge/app/store/storetest"
	"ehrbridge/migrations"
)

// openEmpty creates a new database and returns a store on it, unmigrated.
func openEmpty(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	url := storetest.NewDatabaseURL(t)

	created, err := store.EnsureDatabase(ctx, url)
	if err != nil {
		t.Fatalf("EnsureDatabase: %v", err)
	}
	if !created {
		t.Fatalf("EnsureDatabase reported an existing database for a new name")
	}
	st, err := store.Open(ctx, url, 4)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(st.Close)

	return st
}

// openMigrated returns a store on a new, fully migrated database.
func openMigrated(t testing.TB) *store.Store {
	t.Helper()
	st := openEmpty(t)
	known, err := store.LoadMigrations(migrations.Files)
	if err != nil {
		t.Fatalf("LoadMigrations: %v", err)
	}
	if _, err := st.Migrate(context.Background(), known, nil); err != nil {
		t.Fatalf("Migrate: %v", err)
	}

	return st
}

func TestMigrateEmptyDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openEmpty(t)
	known, err := store.LoadMigrations(migrations.Files)
	if err != nil {
		t.Fatalf("LoadMigrations: %v", err)
	}

	applied, err := st.Migrate(ctx, known, nil)
	if err != nil {
		t.Fatalf("first Migrate: %v", err)
	}
	if len(applied) != len(known) {
		t.Errorf("first Migrate applied %v, want all %d migrations", applied, len(known))
	}

	again, err := st.Migrate(ctx, known, nil)
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if len(again) != 0 {
		t.Errorf("second Migrate applied %v, want nothing", again)
	}

	status, err := st.MigrationStatus(ctx, known)
	if err != nil {
		t.Fatalf("MigrationStatus: %v", err)
	}
	for _, m := range status {
		if m.AppliedAt == nil {
			t.Errorf("migration %d reported pending after Migrate", m.Version)
		}
	}
}

func TestMigrateRejectsNewerSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	if _, err := st.Pool.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')"); err != nil {
		t.Fatalf("inserting future migration: %v", err)
	}
	known, _ := store.LoadMigrations(migrations.Files)

	if _, err := st.Migrate(ctx, known, nil); !errors.Is(err, store.ErrSchemaTooNew) {
		t.Errorf("Migrate on a newer schema returned %v, want ErrSchemaTooNew", err)
	}
	if _, err := st.MigrationStatus(ctx, known); !errors.Is(err, store.ErrSchemaTooNew) {
		t.Errorf("MigrationStatus on a newer schema returned %v, want ErrSchemaTooNew", err)
	}
}

func TestEnsureDatabaseExisting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := storetest.NewDatabaseURL(t)
	if _, err := store.EnsureDatabase(ctx, url); err != nil {
		t.Fatalf("first EnsureDatabase: %v", err)
	}

	created, err := store.EnsureDatabase(ctx, url)
	if err != nil {
		t.Fatalf("second EnsureDatabase: %v", err)
	}
	if created {
		t.Errorf("second EnsureDatabase reported creating the database again")
	}
}
