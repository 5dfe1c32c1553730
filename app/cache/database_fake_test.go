package cache

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// fakeDatabase is a Loader over an in-memory set of EHR systems that counts
// its calls. With a gate, each load reads its entry, then waits for the
// gate to close before returning it.
type fakeDatabase struct {
	mu       sync.Mutex
	versions map[string]int // lower-case name to current mapping version
	calls    atomic.Int64
	gate     chan struct{}
	entered  chan struct{} // receives once per load that reached the gate
}

func newFakeDatabase(names ...string) *fakeDatabase {
	db := &fakeDatabase{versions: map[string]int{}}
	for _, name := range names {
		db.versions[strings.ToLower(name)] = 1
	}

	return db
}

// withGate makes every load wait until release is called.
func (db *fakeDatabase) withGate() *fakeDatabase {
	db.gate = make(chan struct{})
	db.entered = make(chan struct{}, 100)

	return db
}

func (db *fakeDatabase) release() { close(db.gate) }

// publishVersion saves a new mapping version of name.
func (db *fakeDatabase) publishVersion(name string) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.versions[strings.ToLower(name)]++
}

func (db *fakeDatabase) load(ctx context.Context, name string) (Entry, error) {
	db.calls.Add(1)
	db.mu.Lock()
	version, ok := db.versions[strings.ToLower(name)]
	db.mu.Unlock()
	if db.gate != nil {
		db.entered <- struct{}{}
		<-db.gate
	}
	if !ok {
		return Entry{}, fmt.Errorf("finding EHR system: %w", store.ErrNotFound)
	}

	return syntheticEntry(name, version), nil
}

// syntheticEntry builds a made-up system and mapping.
func syntheticEntry(name string, version int) Entry {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return Entry{
		System: store.System{
			ID: 7, Name: name, Family: "athena", BaseURL: "https://ehr.example.test",
			PracticeID: "195900", AuthKind: "oauth2", Options: store.StringMap{"region": "test"},
			CreatedAt: created, UpdatedAt: created,
		},
		Mapping: ehr.Mapping{
			EHRName: name, Version: version, Comment: "synthetic", CreatedAt: created,
			Config: ehr.Config{Endpoints: []ehr.Endpoint{{
				Name: "patient", Method: "POST", Path: "/patients", IdentifiesPatient: true,
				Fields: []ehr.FieldRule{{Source: "firstName", Target: "firstname"}},
			}}},
		},
	}
}
