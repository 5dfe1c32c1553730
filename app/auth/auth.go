// Package auth defines who may do what in ehrbridge: the roles of UI
// accounts, the scopes of API keys, the permission each route requires,
// and the credentials themselves (password hashes, API keys, session
// tokens). It holds no storage and no HTTP code.
package auth

import (
	"regexp"
	"slices"
	"strings"
)

// Roles of UI accounts.
const (
	RoleAdmin    = "admin"    // mappings, EHR settings, API keys, users, and everything below
	RoleOperator = "operator" // sends, retries, payload reveals, and everything below
	RoleViewer   = "viewer"   // reads, with patient data masked
)

// Roles lists the roles from most to least powerful.
var Roles = []string{RoleAdmin, RoleOperator, RoleViewer}

// Scopes of API keys.
const (
	ScopeSend  = "send"  // send patient data, retry
	ScopeRead  = "read"  // read transactions, mappings, queue and cache state
	ScopeAdmin = "admin" // everything, including mapping and EHR-setting changes
)

// Scopes lists every API key scope.
var Scopes = []string{ScopeSend, ScopeRead, ScopeAdmin}

// Permission is the right a route requires of its caller.
type Permission string

// Permissions, from none to most.
const (
	// Public routes serve anyone: the health check, the sign-in page and
	// the static files it needs. None of them returns patient data.
	Public Permission = "public"
	// SignedIn routes serve any account, such as sign-out.
	SignedIn Permission = "signed_in"
	Read     Permission = "read"
	Send     Permission = "send"
	// Reveal shows a full patient payload; every use is audited.
	Reveal Permission = "reveal"
	Admin  Permission = "admin"
)

// permissionsOfRole lists what each UI role may do.
var permissionsOfRole = map[string][]Permission{
	RoleAdmin:    {SignedIn, Read, Send, Reveal, Admin},
	RoleOperator: {SignedIn, Read, Send, Reveal},
	RoleViewer:   {SignedIn, Read},
}

// permissionsOfScope lists what each API key scope allows. A send key
// cannot read transactions: a clinic's intake form needs to send, not to
// read back other patients.
var permissionsOfScope = map[string][]Permission{
	ScopeSend:  {Send},
	ScopeRead:  {Read},
	ScopeAdmin: {Read, Send, Reveal, Admin},
}

// Principal is the caller of a request.
type Principal struct {
	Kind     PrincipalKind
	ID       int64    // user or API key row id; zero when anonymous
	Name     string   // user name, or the API key's id
	Role     string   // users only
	Scopes   []string // API keys only
	KeyLabel string   // API keys only: the name given at creation
}

// PrincipalKind is the way a caller proved who they are.
type PrincipalKind string

// Kinds of principal.
const (
	Anonymous PrincipalKind = "anonymous"
	User      PrincipalKind = "user"
	APIKey    PrincipalKind = "api_key"
	// Unchecked is the caller when authentication is off (development
	// without AUTH_REQUIRED): every permission is granted.
	Unchecked PrincipalKind = "unchecked"
)

// Allows reports whether the principal has permission p.
func (p Principal) Allows(perm Permission) bool {
	switch {
	case perm == Public:
		return true
	case p.Kind == Unchecked:
		return true
	case p.Kind == User:
		return slices.Contains(permissionsOfRole[p.Role], perm)
	case p.Kind == APIKey:
		if perm == SignedIn {
			return true
		}
		for _, scope := range p.Scopes {
			if slices.Contains(permissionsOfScope[scope], perm) {
				return true
			}
		}
	}

	return false
}

// Actor names the principal in the audit log: "user:alice",
// "api_key:k3f9a1 (intake form)", "anonymous" or "development".
func (p Principal) Actor() string {
	switch p.Kind {
	case User:
		return "user:" + p.Name
	case APIKey:
		return "api_key:" + p.Name + " (" + p.KeyLabel + ")"
	case Unchecked:
		return "development"
	}

	return string(Anonymous)
}

// MasksPatientData reports whether patient values must be masked for this
// principal: for anyone who may not reveal them.
func (p Principal) MasksPatientData() bool {
	return !p.Allows(Reveal)
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// NormalizeUsername lowercases a user name and reports whether it is valid:
// 2 to 64 characters of a-z, 0-9, ".", "_", "@" and "-", starting with a
// letter or digit.
func NormalizeUsername(raw string) (string, bool) {
	name := strings.ToLower(strings.TrimSpace(raw))

	return name, usernamePattern.MatchString(name)
}
