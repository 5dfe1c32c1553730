package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"ehrbridge/app/store"
)

func createSystem(t testing.TB, st *store.Store, name string) store.System {
	t.Helper()
	system := store.System{Name: name, Family: "rest", BaseURL: "http://127.0.0.1:9", AuthKind: "none"}
	if err := st.CreateSystem(context.Background(), &system, []byte(`{"endpoints":[]}`), "first"); err != nil {
		t.Fatalf("CreateSystem %s: %v", name, err)
	}

	return system
}

func TestSaveMappingVersionsAreSequential(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	system := createSystem(t, st, "Clinic")

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.SaveMapping(ctx, system.ID, []byte(`{"endpoints":[]}`), "concurrent", ""); err != nil {
				t.Errorf("SaveMapping: %v", err)
			}
		}()
	}
	wg.Wait()

	versions, err := st.MappingVersions(ctx, system.ID)
	if err != nil {
		t.Fatalf("MappingVersions: %v", err)
	}
	if len(versions) != 9 {
		t.Fatalf("got %d versions, want 9", len(versions))
	}
	for i, v := range versions {
		if want := 9 - i; v.Version != want {
			t.Errorf("versions[%d] = %d, want %d", i, v.Version, want)
		}
	}
	current, err := st.CurrentMapping(ctx, system.ID)
	if err != nil {
		t.Fatalf("CurrentMapping: %v", err)
	}
	if current.Version != 9 {
		t.Errorf("current version %d, want 9", current.Version)
	}
}

func TestMappingVersionsAreImmutable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	system := createSystem(t, st, "Clinic")

	_, err := st.Pool.Exec(ctx, "UPDATE mappings SET comment = 'changed' WHERE ehr_system_id = $1", system.ID)
	if err == nil {
		t.Fatalf("updating a mapping version succeeded, want the immutability trigger to reject it")
	}
}

func TestFindSystemIgnoresCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	createSystem(t, st, "Clinic")

	found, err := st.FindSystem(ctx, "cLINIC")
	if err != nil {
		t.Fatalf("FindSystem: %v", err)
	}
	if found.Name != "Clinic" {
		t.Errorf("found %q, want Clinic", found.Name)
	}
	if _, err := st.FindSystem(ctx, "Nowhere"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FindSystem of a missing name returned %v, want ErrNotFound", err)
	}

	duplicate := store.System{Name: "CLINIC", Family: "rest", AuthKind: "none"}
	if err := st.CreateSystem(ctx, &duplicate, []byte(`{}`), ""); !errors.Is(err, store.ErrDuplicateName) {
		t.Errorf("CreateSystem with a name differing in case returned %v, want ErrDuplicateName", err)
	}
}
