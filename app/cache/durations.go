package cache

import (
	"slices"
	"sync"
	"time"
)

// durationSamples is how many recent lookup times each tier keeps.
const durationSamples = 2048

// durationRing keeps the most recent lookup times of one tier.
type durationRing struct {
	mu      sync.Mutex
	samples [durationSamples]time.Duration
	next    int
	filled  int
}

func (r *durationRing) add(d time.Duration) {
	r.mu.Lock()
	r.samples[r.next] = d
	r.next = (r.next + 1) % durationSamples
	r.filled = min(r.filled+1, durationSamples)
	r.mu.Unlock()
}

// summary returns the mean and the 99th percentile of the kept samples,
// and how many there are.
func (r *durationRing) summary() (mean, p99 time.Duration, count int) {
	r.mu.Lock()
	kept := slices.Clone(r.samples[:r.filled])
	r.mu.Unlock()
	if len(kept) == 0 {
		return 0, 0, 0
	}
	var total time.Duration
	for _, d := range kept {
		total += d
	}
	slices.Sort(kept)
	rank := (len(kept)*99 + 99) / 100 // ceil(0.99 n), 1-based

	return total / time.Duration(len(kept)), kept[rank-1], len(kept)
}
