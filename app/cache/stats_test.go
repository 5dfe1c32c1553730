package cache

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDurationRingSummary(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		samples   []time.Duration
		mean, p99 time.Duration
		count     int
	}{
		{"empty", nil, 0, 0, 0},
		{"one sample", []time.Duration{5 * time.Millisecond}, 5 * time.Millisecond, 5 * time.Millisecond, 1},
		{"1ms to 100ms", millisecondsFrom(1, 100), 50500 * time.Microsecond, 99 * time.Millisecond, 100},
		{"only the newest 2048 kept", append(repeat(time.Hour, 100), repeat(time.Millisecond, durationSamples)...),
			time.Millisecond, time.Millisecond, durationSamples},
	}
	for _, tc := range cases {
		var ring durationRing
		for _, d := range tc.samples {
			ring.add(d)
		}
		mean, p99, count := ring.summary()
		if mean != tc.mean || p99 != tc.p99 || count != tc.count {
			t.Errorf("%s: mean %v, p99 %v, count %d; want %v, %v, %d", tc.name, mean, p99, count, tc.mean, tc.p99, tc.count)
		}
	}
}

func millisecondsFrom(first, last int) []time.Duration {
	var out []time.Duration
	for ms := first; ms <= last; ms++ {
		out = append(out, time.Duration(ms)*time.Millisecond)
	}

	return out
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}

	return out
}

func TestStatsJSONNames(t *testing.T) {
	t.Parallel()
	c := New(Options{MaxItems: 10}, newFakeDatabase("Athena").load)
	encoded, err := json.Marshal(c.Stats())
	if err != nil {
		t.Fatalf("encoding stats: %v", err)
	}
	var decoded map[string]json.RawMessage
	if err := json.Unmarshal(encoded, &decoded); err != nil {
		t.Fatalf("decoding stats: %v", err)
	}
	for _, key := range []string{"since", "local", "redis", "database", "redisHealth", "invalidations", "clears",
		"invalidationsReceived", "ackTimeouts", "pendingInvalidations", "sharedLoads", "subscriptions"} {
		if _, ok := decoded[key]; !ok {
			t.Errorf("stats JSON %s is missing %q", encoded, key)
		}
	}
	var tier map[string]any
	if err := json.Unmarshal(decoded["local"], &tier); err != nil {
		t.Fatalf("decoding tier stats: %v", err)
	}
	for _, key := range []string{"hits", "misses", "errors", "skipped", "hitRate", "entries", "meanLookupNs", "p99LookupNs", "samples"} {
		if _, ok := tier[key]; !ok {
			t.Errorf("tier stats JSON %s is missing %q", decoded["local"], key)
		}
	}
}

func TestStatsEntriesPerTier(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		maxItems int
		local    int
	}{
		{"local tier on", 10, 1},
		{"local tier off", 0, -1},
	}
	for _, tc := range cases {
		c := New(Options{MaxItems: tc.maxItems}, newFakeDatabase("Athena").load)
		mustGet(t, c, "Athena")
		stats := c.Stats()
		if stats.Local.Entries != tc.local {
			t.Errorf("%s: local entries %d, want %d", tc.name, stats.Local.Entries, tc.local)
		}
		if stats.Redis.Entries != -1 || stats.Database.Entries != -1 {
			t.Errorf("%s: redis/database entries %d/%d, want -1/-1 (not counted)", tc.name, stats.Redis.Entries, stats.Database.Entries)
		}
	}
}
