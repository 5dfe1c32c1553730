package store_test

import (
	"context"
	"testing"
)

// BenchmarkMappingLookup measures the database tier of a mapping lookup:
// the EHR system by name, then its current mapping version, on a real
// PostgreSQL.
func BenchmarkMappingLookup(b *testing.B) {
	st := openMigrated(b)
	ctx := context.Background()
	system := createSystem(b, st, "Clinic")
	if _, err := st.SaveMapping(ctx, system.ID, []byte(`{"endpoints":[]}`), "second", ""); err != nil {
		b.Fatalf("SaveMapping: %v", err)
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		found, err := st.FindSystem(ctx, "clinic")
		if err != nil {
			b.Fatalf("FindSystem: %v", err)
		}
		if _, err := st.CurrentMapping(ctx, found.ID); err != nil {
			b.Fatalf("CurrentMapping: %v", err)
		}
	}
}
