package bench

import (
	"math/rand/v2"
	"testing"
	"time"
)

func millisecondsUpTo(n int) []time.Duration {
	values := make([]time.Duration, n)
	for i := range values {
		values[i] = time.Duration(i+1) * time.Millisecond
	}

	return values
}

func TestPercentileNearestRank(t *testing.T) {
	sorted := millisecondsUpTo(100)
	cases := []struct {
		p    float64
		want time.Duration
	}{
		{0, 1 * time.Millisecond},
		{1, 1 * time.Millisecond},
		{50, 50 * time.Millisecond},
		{50.5, 51 * time.Millisecond},
		{90, 90 * time.Millisecond},
		{99, 99 * time.Millisecond},
		{99.9, 100 * time.Millisecond},
		{100, 100 * time.Millisecond},
	}
	for _, tc := range cases {
		if got := percentile(sorted, tc.p); got != tc.want {
			t.Errorf("p%v of 1..100 ms = %v, want %v", tc.p, got, tc.want)
		}
	}
}

func TestPercentileFractionalRanks(t *testing.T) {
	sorted := millisecondsUpTo(1000)
	if got := percentile(sorted, 99.9); got != 999*time.Millisecond {
		t.Errorf("p99.9 of 1..1000 ms = %v, want 999ms", got)
	}
	small := millisecondsUpTo(10)
	if got := percentile(small, 99); got != 10*time.Millisecond {
		t.Errorf("p99 of 1..10 ms = %v, want 10ms", got)
	}
	if got := percentile(small, 90); got != 9*time.Millisecond {
		t.Errorf("p90 of 1..10 ms = %v, want 9ms", got)
	}
	if got := percentile(small, 15); got != 2*time.Millisecond {
		t.Errorf("p15 of 1..10 ms = %v, want 2ms", got)
	}
}

func TestPercentileOfOneAndNone(t *testing.T) {
	single := []time.Duration{7 * time.Millisecond}
	for _, p := range []float64{0, 50, 99, 100} {
		if got := percentile(single, p); got != 7*time.Millisecond {
			t.Errorf("p%v of one value = %v, want 7ms", p, got)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of no values = %v, want 0", got)
	}
}

func TestSummarizeLatenciesShuffled(t *testing.T) {
	latencies := millisecondsUpTo(200)
	rand.Shuffle(len(latencies), func(i, j int) { latencies[i], latencies[j] = latencies[j], latencies[i] })

	summary := summarizeLatencies(latencies)
	if summary.Min != time.Millisecond {
		t.Errorf("min = %v, want 1ms", summary.Min)
	}
	if summary.Max != 200*time.Millisecond {
		t.Errorf("max = %v, want 200ms", summary.Max)
	}
	if summary.P50 != 100*time.Millisecond {
		t.Errorf("p50 = %v, want 100ms", summary.P50)
	}
	if summary.P90 != 180*time.Millisecond {
		t.Errorf("p90 = %v, want 180ms", summary.P90)
	}
	if summary.P99 != 198*time.Millisecond {
		t.Errorf("p99 = %v, want 198ms", summary.P99)
	}
	if summary.Mean != 100500*time.Microsecond {
		t.Errorf("mean = %v, want 100.5ms", summary.Mean)
	}
}

func TestSummarizeNoLatencies(t *testing.T) {
	if summary := summarizeLatencies(nil); summary != (LatencySummary{}) {
		t.Errorf("summary of no latencies = %+v, want zero", summary)
	}
}
