package cache

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkGetLocal measures a lookup served by the in-process tier.
func BenchmarkGetLocal(b *testing.B) {
	db := newFakeDatabase("Athena")
	c := New(Options{MaxItems: 10}, db.load)
	ctx := context.Background()
	if _, err := c.Get(ctx, "Athena"); err != nil {
		b.Fatalf("warming: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, "Athena"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetRedis measures a lookup served by Redis: MaxItems 0 turns the
// in-process tier off, so every Get reads Redis and decodes the entry.
func BenchmarkGetRedis(b *testing.B) {
	client, prefix := testRedis(b)
	db := newFakeDatabase("Athena")
	c := New(Options{Redis: client, Prefix: prefix}, db.load)
	ctx := context.Background()
	if _, err := c.Get(ctx, "Athena"); err != nil {
		b.Fatalf("warming: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, "Athena"); err != nil {
			b.Fatal(err)
		}
	}
	if loads := db.calls.Load(); loads != 1 {
		b.Errorf("loader called %d times, want only the warming load", loads)
	}
}

// BenchmarkGetDatabase measures a lookup that reaches the Loader, with both
// cache tiers off. The Loader only counts and builds an entry, so this is
// the cache's own cost on a miss. The cost of the real PostgreSQL query is
// measured with the store package.
func BenchmarkGetDatabase(b *testing.B) {
	db := newFakeDatabase("Athena")
	c := New(Options{}, db.load)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, "Athena"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedisReadScript measures the Redis read used by Get: one Lua
// script call for the generation, the pointer and the content.
func BenchmarkRedisReadScript(b *testing.B) {
	c := warmRedisCache(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if read, err := c.readRedis(ctx, "athena"); err != nil || !read.found {
			b.Fatalf("read found %v, error %v", read.found, err)
		}
	}
}

// BenchmarkRedisReadTwoTrips measures the alternative: MGET of the
// generation and the pointer, then GET of the content, decoded as readRedis
// decodes it.
func BenchmarkRedisReadTwoTrips(b *testing.B) {
	c := warmRedisCache(b)
	ctx := context.Background()
	client := c.opts.Redis
	b.ReportAllocs()
	for b.Loop() {
		values, err := client.MGet(ctx, c.keys.generation(), c.keys.pointer("athena")).Result()
		if err != nil {
			b.Fatal(err)
		}
		version, _ := values[1].(string)
		content, err := client.Get(ctx, c.keys.contentPrefix("athena")+version).Bytes()
		if err != nil {
			b.Fatal(err)
		}
		var entry Entry
		if err := json.Unmarshal(content, &entry); err != nil {
			b.Fatal(err)
		}
	}
}

// warmRedisCache returns a Redis-only cache whose Redis holds "athena".
func warmRedisCache(b *testing.B) *Cache {
	client, prefix := testRedis(b)
	c := New(Options{Redis: client, Prefix: prefix}, newFakeDatabase("Athena").load)
	if _, err := c.Get(context.Background(), "Athena"); err != nil {
		b.Fatalf("warming: %v", err)
	}
	if client.Exists(context.Background(), c.keys.pointer("athena")).Val() != 1 {
		b.Fatal("the warming Get left no pointer in redis")
	}

	return c
}
