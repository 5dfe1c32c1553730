package sim

import (
	"container/list"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

const (
	defaultMaxPatients = 10000
	// defaultTimeoutHold is how long a timeout fault holds a request whose
	// client stays connected.
	defaultTimeoutHold = 60 * time.Second
)

// Options configure a Simulator.
type Options struct {
	// MaxPatients is the maximum number of patients kept across all
	// systems. Creating one more evicts the oldest patient. Zero or less
	// means 10000.
	MaxPatients int
	// Logger receives fault and call events with ids only. Nil discards
	// them.
	Logger *slog.Logger
}

// Simulator is an in-memory EHR. It is safe for concurrent use.
type Simulator struct {
	maxPatients int
	logger      *slog.Logger
	timeoutHold time.Duration
	tokens      *tokenStore
	mux         *http.ServeMux

	mu sync.Mutex
	// patients indexes the elements of order by system and patient id.
	patients map[patientKey]*list.Element
	// order holds *patientEntry values, oldest first.
	order           *list.List
	patientsCreated map[string]int
	nextReference   int
	// responses maps a system-scoped idempotency key to its 2xx response.
	responses       map[string]response
	faults          []Fault
	nextFaultNumber int
	stats           Stats
}

// New returns an empty simulator.
func New(opts Options) *Simulator {
	s := &Simulator{
		maxPatients: opts.MaxPatients,
		logger:      opts.Logger,
		timeoutHold: defaultTimeoutHold,
		tokens:      newTokenStore(),
	}
	if s.maxPatients <= 0 {
		s.maxPatients = defaultMaxPatients
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.resetLocked()
	s.mux = s.routes()

	return s
}

// Handler returns the HTTP handler serving the simulated APIs and the
// inspection and fault routes, relative to the handler root.
func (s *Simulator) Handler() http.Handler {
	return s.mux
}

// Reset deletes every patient, call, idempotency response and fault and
// sets the counters to zero, so patient ids start at 1000 again. Issued tokens stay
// valid, so a client holding one keeps working.
func (s *Simulator) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.resetLocked()
}

func (s *Simulator) resetLocked() {
	s.patients = map[patientKey]*list.Element{}
	s.order = list.New()
	s.patientsCreated = map[string]int{}
	s.nextReference = 1
	s.responses = map[string]response{}
	s.faults = nil
	s.nextFaultNumber = 1
	s.stats = Stats{}
}

// Stats returns the counters.
func (s *Simulator) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()

	stats := s.stats
	stats.Patients = s.order.Len()

	return stats
}
