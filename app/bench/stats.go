package bench

import (
	"math"
	"slices"
	"time"
)

// LatencySummary holds exact order statistics of a run's latencies.
type LatencySummary struct {
	Min, Mean, P50, P90, P99, Max time.Duration
}

// summarizeLatencies sorts latencies in place and returns their summary;
// the summary of no latencies is all zero.
func summarizeLatencies(latencies []time.Duration) LatencySummary {
	if len(latencies) == 0 {
		return LatencySummary{}
	}
	slices.Sort(latencies)
	var total time.Duration
	for _, latency := range latencies {
		total += latency
	}

	return LatencySummary{
		Min:  latencies[0],
		Mean: total / time.Duration(len(latencies)),
		P50:  percentile(latencies, 50),
		P90:  percentile(latencies, 90),
		P99:  percentile(latencies, 99),
		Max:  latencies[len(latencies)-1],
	}
}

// percentile returns the nearest-rank percentile of sorted values: the
// smallest value such that at least p percent of the values are less than
// or equal to it. This is the value an HDR histogram reports, without its
// bucket rounding. p is between 0 and 100; p = 0 gives the minimum.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// The small subtraction keeps p*n/100 from rounding up past a whole
	// rank when p has no exact binary form, such as 99.9.
	rank := int(math.Ceil(p*float64(len(sorted))/100 - 1e-9))
	index := min(max(rank-1, 0), len(sorted)-1)

	return sorted[index]
}
