package store_test

import (
	"context"
	"errors"
	"testing"

	"ehrbridge/app/store"
)

func TestUpdateSystemWritesSettingsAndMovesUpdatedAt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	created := createSystem(t, st, "ClinicUpdate")

	changed := created
	changed.Name, changed.Family = "Renamed", "athena"
	changed.BaseURL, changed.PracticeID, changed.AuthKind = "https://ehr.example.org/api", "42", "bearer"
	changed.ClientID, changed.SecretEnv = "client", "CLINIC_TOKEN"
	changed.Options = store.StringMap{"appname": "intake"}
	if err := st.UpdateSystem(ctx, &changed); err != nil {
		t.Fatalf("UpdateSystem: %v", err)
	}

	stored, err := st.FindSystemByID(ctx, created.ID)
	if err != nil {
		t.Fatalf("FindSystemByID: %v", err)
	}
	checks := []struct{ name, got, want string }{
		{"name stays", stored.Name, "ClinicUpdate"},
		{"family stays", stored.Family, "rest"},
		{"base URL", stored.BaseURL, "https://ehr.example.org/api"},
		{"practice id", stored.PracticeID, "42"},
		{"auth kind", stored.AuthKind, "bearer"},
		{"client id", stored.ClientID, "client"},
		{"secret variable", stored.SecretEnv, "CLINIC_TOKEN"},
		{"options", stored.Options["appname"], "intake"},
		{"returned row", changed.Name, "ClinicUpdate"},
	}
	for _, check := range checks {
		if check.got != check.want {
			t.Errorf("%s: got %q, want %q", check.name, check.got, check.want)
		}
	}
	if !stored.UpdatedAt.After(created.UpdatedAt) {
		t.Errorf("updated_at %v did not move after %v", stored.UpdatedAt, created.UpdatedAt)
	}
	if !changed.UpdatedAt.Equal(stored.UpdatedAt) {
		t.Errorf("returned updated_at %v differs from the stored %v", changed.UpdatedAt, stored.UpdatedAt)
	}

	again := stored
	if err := st.UpdateSystem(ctx, &again); err != nil {
		t.Fatalf("second UpdateSystem: %v", err)
	}
	if !again.UpdatedAt.After(stored.UpdatedAt) {
		t.Errorf("an update with the same settings left updated_at at %v", again.UpdatedAt)
	}
}

func TestUpdateSystemUnknownID(t *testing.T) {
	t.Parallel()
	st := openMigrated(t)
	missing := store.System{ID: 987654, BaseURL: "https://ehr.example.org", AuthKind: "none"}
	if err := st.UpdateSystem(context.Background(), &missing); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateSystem of an unknown id: error %v, want ErrNotFound", err)
	}
}

func TestCurrentMappingVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	first := createSystem(t, st, "First")
	second := createSystem(t, st, "Second")
	if _, err := st.SaveMapping(ctx, second.ID, []byte(`{"endpoints":[]}`), "second version", "tester"); err != nil {
		t.Fatalf("SaveMapping: %v", err)
	}

	current, err := st.CurrentMappingVersions(ctx)
	if err != nil {
		t.Fatalf("CurrentMappingVersions: %v", err)
	}
	if got := current[first.ID].Version; got != 1 {
		t.Errorf("first system: version %d, want 1", got)
	}
	if got := current[second.ID]; got.Version != 2 || got.Comment != "second version" || got.CreatedBy != "tester" {
		t.Errorf("second system: %+v, want version 2 by tester", got)
	}
	if got := current[second.ID].Config; got != nil {
		t.Errorf("second system: config %s loaded, want none", got)
	}
}
