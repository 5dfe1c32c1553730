package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// AddFault validates f, fills in its defaults and stores it. It returns the
// new fault's id.
func (s *Simulator) AddFault(f Fault) (string, error) {
	fault, err := f.normalized()
	if err != nil {
		return "", fmt.Errorf("adding fault: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	fault.ID = "fault-" + strconv.Itoa(s.nextFaultNumber)
	s.nextFaultNumber++
	s.faults = append(s.faults, fault)

	return fault.ID, nil
}

// Faults returns the active faults in the order they were added.
func (s *Simulator) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()

	return append([]Fault{}, s.faults...)
}

// RemoveFault removes one fault and reports whether it existed.
func (s *Simulator) RemoveFault(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()

	before := len(s.faults)
	s.faults = slices.DeleteFunc(s.faults, func(f Fault) bool { return f.ID == id })

	return len(s.faults) < before
}

// ClearFaults removes every fault.
func (s *Simulator) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.faults = nil
}

// faultTarget is the part of a request that faults are matched against.
type faultTarget struct {
	system string
	path   string
	action string
	// token marks token requests, which only a non-empty Match selects.
	token bool
}

func (f Fault) matches(target faultTarget) bool {
	if f.System != "" && f.System != target.system {
		return false
	}
	if f.Match == "" {
		return !target.token
	}
	if strings.Contains(target.path, f.Match) {
		return true
	}

	return target.action != "" && strings.Contains(target.action, f.Match)
}

// fireFault finds the first fault, in the order added, that matches target
// and passes its rate draw. It counts the firing, removes the fault when
// its Times are used up and returns a copy.
func (s *Simulator) fireFault(target faultTarget) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	for i := range s.faults {
		fault := &s.faults[i]
		if !fault.matches(target) || rand.Float64() >= fault.Rate {
			continue
		}
		fault.Fired++
		s.stats.FaultsFired++
		fired := *fault
		if fault.Times > 0 && fault.Fired >= fault.Times {
			s.faults = slices.Delete(s.faults, i, i+1)
		}

		return fired, true
	}

	return Fault{}, false
}
