package cache

import (
	"sync"
	"sync/atomic"
)

// pendingSet holds the names (or allNames) whose invalidation Redis has
// not taken yet. Each addition gets a new sequence number, so a retry that
// began before a newer failure does not clear it.
type pendingSet struct {
	mu       sync.Mutex
	names    map[string]uint64 // name to the sequence number of its last addition
	sequence uint64
	count    atomic.Int64 // len(names), read without the lock on the lookup path
}

// pendingName is one name awaiting invalidation.
type pendingName struct {
	name     string
	sequence uint64
}

func (p *pendingSet) add(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.names == nil {
		p.names = map[string]uint64{}
	}
	p.sequence++
	p.names[name] = p.sequence
	p.count.Store(int64(len(p.names)))
}

// remove deletes pending unless its name was added again since.
func (p *pendingSet) remove(pending pendingName) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.names[pending.name] == pending.sequence {
		delete(p.names, pending.name)
	}
	p.count.Store(int64(len(p.names)))
}

// covers reports whether name, or every name, awaits invalidation.
func (p *pendingSet) covers(name string) bool {
	if p.count.Load() == 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, named := p.names[name]
	_, all := p.names[allNames]

	return named || all
}

// list returns the pending names, allNames first when present.
func (p *pendingSet) list() []pendingName {
	p.mu.Lock()
	defer p.mu.Unlock()
	names := make([]pendingName, 0, len(p.names))
	if sequence, all := p.names[allNames]; all {
		names = append(names, pendingName{name: allNames, sequence: sequence})
	}
	for name, sequence := range p.names {
		if name != allNames {
			names = append(names, pendingName{name: name, sequence: sequence})
		}
	}

	return names
}

func (p *pendingSet) size() int {
	return int(p.count.Load())
}
