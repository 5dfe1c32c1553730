package cache

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// localTier is the in-process LRU. Its epoch rises with every drop, so a
// lookup that began before a drop does not fill the tier with what it read.
type localTier struct {
	entries *expirable.LRU[string, Entry] // nil when the tier is off
	mu      sync.Mutex                    // orders fills against drops
	epoch   atomic.Uint64
}

func newLocalTier(maxItems int, ttl time.Duration) *localTier {
	if maxItems <= 0 {
		return &localTier{}
	}

	return &localTier{entries: expirable.NewLRU[string, Entry](maxItems, nil, ttl)}
}

func (l *localTier) get(name string) (Entry, bool) {
	if l.entries == nil {
		return Entry{}, false
	}

	return l.entries.Get(name)
}

// currentEpoch is read before a lookup leaves this tier.
func (l *localTier) currentEpoch() uint64 {
	return l.epoch.Load()
}

// fill stores entry unless a drop happened since epoch was read.
func (l *localTier) fill(name string, entry Entry, epoch uint64) bool {
	if l.entries == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.epoch.Load() != epoch {
		return false
	}
	l.entries.Add(name, entry)

	return true
}

// drop removes name, or every entry for allNames.
func (l *localTier) drop(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.epoch.Add(1)
	if l.entries == nil {
		return
	}
	if name == allNames {
		l.entries.Purge()
		return
	}
	l.entries.Remove(name)
}

// len counts the entries held, including expired ones not yet swept, or -1
// when the tier is off.
func (l *localTier) len() int {
	if l.entries == nil {
		return -1
	}

	return l.entries.Len()
}
