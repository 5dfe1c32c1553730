package ehr

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Integration talks to one EHR system of a family (athena, Unity, plain
// REST). It owns everything family-specific about a call: authentication
// and token reuse, request encoding, where the EHR's patient id is found in a
// response, and which failures are worth retrying.
//
// To add an EHR family:
//  1. Create a package under ehr/ (ehr/epic, say) with a type that
//     implements Integration and a Family value describing it: its name, a
//     constructor, and the endpoint that the simple mapping form
//     {"patient": {...}} becomes.
//  2. Call ehr.RegisterFamily from that package's init function, and import
//     the package for its side effect in app/integrations.go.
//  3. Return *CallError from Call for every failure, with the class chosen
//     by ClassifyStatus or ClassifyTransportError, so retries and the
//     transaction log treat it like every other family.
//  4. Give it a default mapping and tests against the simulator or an
//     httptest server; docs/adding-an-ehr.md walks through each step.
//
// An EHR that speaks plain JSON over REST needs no new family: configure it
// with family "rest".
//
// Implementations must be safe for concurrent use: one value serves every
// send to its EHR system.
type Integration interface {
	// Call sends one endpoint's fields and reports what the EHR answered.
	// Errors are *CallError values whose Reason never contains patient data.
	Call(ctx context.Context, call EndpointCall) (CallResult, error)
}

// Connection holds the settings of one configured EHR system.
type Connection struct {
	Name       string
	Family     string
	BaseURL    string
	PracticeID string
	AuthKind   string
	ClientID   string
	// Options holds family-specific settings, such as Unity's appname.
	Options map[string]string
	// Secret is the value of the environment variable the system names; it
	// is read at start and never stored.
	Secret string
}

// Auth kinds a connection can use.
const (
	AuthNone              = "none"
	AuthBearer            = "bearer"
	AuthBasic             = "basic"
	AuthClientCredentials = "oauth2_client_credentials"
	AuthUnityToken        = "unity_token"
)

// EndpointCall is one request to make: the endpoint, its mapped fields in
// mapping order, and the patient id when an earlier call returned one.
type EndpointCall struct {
	Endpoint  Endpoint
	Fields    []MappedField
	PatientID string
	// IdempotencyKey is stable for one transaction and endpoint, so an EHR
	// that honours it ignores a repeated call.
	IdempotencyKey string
}

// MappedField is one target field with its rendered value.
type MappedField struct {
	Target string
	Value  string
}

// CallResult is what a successful call returned.
type CallResult struct {
	HTTPStatus int
	// PatientID is the EHR's patient id, read from the response of an
	// endpoint that identifies the patient.
	PatientID string
	// Reference is the EHR's id for what was created, when it returns one.
	Reference string
}

// Family describes an EHR family to the registry.
type Family struct {
	Name string
	// New builds the integration for one configured system.
	New func(conn Connection, client *http.Client) (Integration, error)
	// PatientEndpoint is the endpoint the simple mapping form's "patient"
	// key becomes; its Fields are left empty.
	PatientEndpoint Endpoint
	// DefaultMapping is seeded for a new system of this family.
	DefaultMapping Config
	// DefaultAuthKind is used when a connection names none.
	DefaultAuthKind string
}

var (
	familiesMu sync.RWMutex
	families   = map[string]Family{}
)

// RegisterFamily makes a family available by name. It panics on a duplicate
// or empty name, since that is a programming error found at start.
func RegisterFamily(family Family) {
	familiesMu.Lock()
	defer familiesMu.Unlock()

	name := strings.ToLower(family.Name)
	if name == "" || family.New == nil {
		panic("ehr: RegisterFamily needs a name and a constructor")
	}
	if _, exists := families[name]; exists {
		panic(fmt.Sprintf("ehr: family %q registered twice", name))
	}
	families[name] = family
}

// LookupFamily returns the registered family with the given name, matched
// case-insensitively.
func LookupFamily(name string) (Family, bool) {
	familiesMu.RLock()
	defer familiesMu.RUnlock()

	family, ok := families[strings.ToLower(name)]

	return family, ok
}

// FamilyNames returns the registered family names, sorted.
func FamilyNames() []string {
	familiesMu.RLock()
	defer familiesMu.RUnlock()

	names := make([]string, 0, len(families))
	for name := range families {
		names = append(names, name)
	}
	sort.Strings(names)

	return names
}
