package cache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"ehrbridge/app/store"
)

func TestGetCountsLookupsPerTier(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena")
	opts := Options{Redis: client, Prefix: prefix, MaxItems: 10}
	first, second := newTestCache(opts, db.load), newTestCache(opts, db.load)

	mustGet(t, first, "Athena")  // database
	mustGet(t, first, "athena")  // local
	mustGet(t, second, "ATHENA") // redis

	firstStats, secondStats := first.Stats(), second.Stats()
	cases := []struct {
		name         string
		got          TierStats
		hits, misses int64
	}{
		{"first cache, local tier", firstStats.Local, 1, 1},
		{"first cache, redis tier", firstStats.Redis, 0, 1},
		{"first cache, database tier", firstStats.Database, 1, 0},
		{"second cache, local tier", secondStats.Local, 0, 1},
		{"second cache, redis tier", secondStats.Redis, 1, 0},
		{"second cache, database tier", secondStats.Database, 0, 0},
	}
	for _, tc := range cases {
		if tc.got.Hits != tc.hits || tc.got.Misses != tc.misses {
			t.Errorf("%s: hits/misses %d/%d, want %d/%d", tc.name, tc.got.Hits, tc.got.Misses, tc.hits, tc.misses)
		}
		if want := tc.hits + tc.misses; int64(tc.got.Samples) != want {
			t.Errorf("%s: %d timing samples, want %d", tc.name, tc.got.Samples, want)
		}
	}
	if got := firstStats.Local.HitRate; got != 0.5 {
		t.Errorf("first cache local hit rate %v, want 0.5", got)
	}
	if got := db.calls.Load(); got != 1 {
		t.Errorf("loader called %d times, want 1", got)
	}
}

func TestGetSameEntryFromEveryTier(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena")
	opts := Options{Redis: client, Prefix: prefix, MaxItems: 10}
	first, second := newTestCache(opts, db.load), newTestCache(opts, db.load)

	fromDatabase := mustGet(t, first, "Athena")
	fromLocal := mustGet(t, first, "Athena")
	fromRedis := mustGet(t, second, "Athena")

	want := syntheticEntry("athena", 1)
	for tier, got := range map[string]Entry{"database": fromDatabase, "local": fromLocal, "redis": fromRedis} {
		if got.Mapping.Version != want.Mapping.Version || got.System.BaseURL != want.System.BaseURL ||
			len(got.Mapping.Config.Endpoints) != 1 || got.System.Options["region"] != "test" ||
			!got.Mapping.CreatedAt.Equal(want.Mapping.CreatedAt) {
			t.Errorf("entry from the %s tier %+v, want %+v", tier, got, want)
		}
	}
}

func TestUnknownEHRIsNotCached(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena")
	c := newTestCache(Options{Redis: client, Prefix: prefix, MaxItems: 10}, db.load)

	for attempt := 1; attempt <= 2; attempt++ {
		if _, err := c.Get(context.Background(), "Nowhere"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get of an unknown EHR, attempt %d: error %v, want store.ErrNotFound", attempt, err)
		}
	}
	if got := db.calls.Load(); got != 2 {
		t.Errorf("loader called %d times for two lookups of an unknown EHR, want 2", got)
	}
	stats := c.Stats()
	if stats.Database.Misses != 2 {
		t.Errorf("database misses %d, want 2", stats.Database.Misses)
	}
	if stats.Local.Entries != 0 {
		t.Errorf("local entries %d after unknown lookups, want 0", stats.Local.Entries)
	}
	if keys := keysWithPrefix(t, client, prefix+"mapping:nowhere:"); len(keys) != 0 {
		t.Errorf("redis holds %v for an unknown EHR, want nothing", keys)
	}
}

func TestLoaderErrorsNotCached(t *testing.T) {
	t.Parallel()
	failing := errors.New("database unreachable")
	calls := 0
	c := newTestCache(Options{MaxItems: 10}, func(context.Context, string) (Entry, error) {
		calls++
		return Entry{}, failing
	})

	for attempt := 1; attempt <= 2; attempt++ {
		if _, err := c.Get(context.Background(), "Athena"); !errors.Is(err, failing) {
			t.Errorf("attempt %d: error %v, want the loader's error", attempt, err)
		}
	}
	if calls != 2 {
		t.Errorf("loader called %d times, want 2", calls)
	}
	if got := c.Stats().Database.Errors; got != 2 {
		t.Errorf("database errors %d, want 2", got)
	}
}

func TestLocalTierEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	db := newFakeDatabase("a", "b", "c")
	c := newTestCache(Options{MaxItems: 2, LocalTTL: time.Hour}, db.load)

	for _, name := range []string{"a", "b", "a", "c"} { // c evicts b, the least recently used
		mustGet(t, c, name)
	}
	if got := c.Stats().Local.Entries; got != 2 {
		t.Errorf("local entries %d, want the bound 2", got)
	}
	mustGet(t, c, "a")
	if got := db.calls.Load(); got != 3 {
		t.Errorf("after reading a again: loader called %d times, want 3 (a still cached)", got)
	}
	mustGet(t, c, "b")
	if got := db.calls.Load(); got != 4 {
		t.Errorf("after reading b again: loader called %d times, want 4 (b evicted)", got)
	}
}

func TestLocalEntryExpires(t *testing.T) {
	t.Parallel()
	db := newFakeDatabase("Athena")
	c := newTestCache(Options{MaxItems: 10, LocalTTL: 50 * time.Millisecond}, db.load)

	mustGet(t, c, "Athena")
	mustGet(t, c, "Athena")
	if got := db.calls.Load(); got != 1 {
		t.Errorf("within the local TTL: loader called %d times, want 1", got)
	}
	time.Sleep(120 * time.Millisecond)
	mustGet(t, c, "Athena")
	if got := db.calls.Load(); got != 2 {
		t.Errorf("after the local TTL: loader called %d times, want 2", got)
	}
}

func TestRedisEntryExpires(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena")
	ttl := 300 * time.Millisecond
	c := newTestCache(Options{Redis: client, Prefix: prefix, TTL: ttl}, db.load) // local tier off

	mustGet(t, c, "Athena")
	ctx := context.Background()
	for _, key := range []string{c.keys.pointer("athena"), c.keys.content("athena", 1)} {
		remaining, err := client.PTTL(ctx, key).Result()
		if err != nil || remaining <= 0 || remaining > ttl {
			t.Errorf("TTL of %s is %v (error %v), want within (0, %v]", key, remaining, err, ttl)
		}
	}
	mustGet(t, c, "Athena")
	if got := c.Stats().Redis.Hits; got != 1 {
		t.Errorf("redis hits before expiry %d, want 1", got)
	}
	waitFor(t, 3*time.Second, "the pointer key to expire", func() bool {
		return client.Exists(ctx, c.keys.pointer("athena")).Val() == 0
	})
	mustGet(t, c, "Athena")
	if got := db.calls.Load(); got != 2 {
		t.Errorf("after the redis TTL: loader called %d times, want 2", got)
	}
}

func TestConcurrentMissesLoadOnce(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena").withGate()
	c := newTestCache(Options{Redis: client, Prefix: prefix, MaxItems: 10}, db.load)
	const callers = 16

	var wg sync.WaitGroup
	versions := make([]int, callers)
	for i := range callers {
		wg.Go(func() { versions[i] = mustGet(t, c, "Athena").Mapping.Version })
	}
	<-db.entered
	time.Sleep(50 * time.Millisecond) // let the other callers join the load
	db.release()
	wg.Wait()

	if got := db.calls.Load(); got != 1 {
		t.Errorf("loader called %d times by %d concurrent callers, want 1", got, callers)
	}
	for i, version := range versions {
		if version != 1 {
			t.Errorf("caller %d got version %d, want 1", i, version)
		}
	}
	stats := c.Stats()
	if got := stats.SharedLoads + stats.Local.Hits; got != callers-1 {
		t.Errorf("shared loads plus local hits %d, want %d", got, callers-1)
	}
}

func TestGetContextCancelled(t *testing.T) {
	t.Parallel()
	db := newFakeDatabase("Athena").withGate()
	c := newTestCache(Options{MaxItems: 10}, db.load)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	_, err := c.Get(ctx, "Athena")
	db.release()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Get with an expiring context: error %v, want context.DeadlineExceeded", err)
	}
}

func TestGetWithoutRedis(t *testing.T) {
	t.Parallel()
	db := newFakeDatabase("Athena")
	c := newTestCache(Options{MaxItems: 10}, db.load)

	mustGet(t, c, "Athena")
	health := c.RedisHealth()
	if health.Configured || health.Up || health.Reason != "not configured" {
		t.Errorf("health without redis %+v, want not configured and not up", health)
	}
	if err := c.Invalidate(context.Background(), "Athena"); err != nil {
		t.Errorf("Invalidate without redis: %v", err)
	}
	if err := c.Clear(context.Background()); err != nil {
		t.Errorf("Clear without redis: %v", err)
	}
	mustGet(t, c, "Athena")
	if got := db.calls.Load(); got != 2 {
		t.Errorf("loader called %d times, want 2 (the invalidation dropped the entry)", got)
	}
	startRun(t, c) // must return when the test ends
}
