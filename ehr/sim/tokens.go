package sim

import (
	"crypto/rand"
	"sync"
	"time"
)

const (
	tokenLifetime = time.Hour
	// maxTokens is the maximum number of tokens kept. Beyond it the oldest
	// token is deleted first.
	maxTokens = 10000
)

// tokenStore holds the access tokens the simulator issued, per system.
type tokenStore struct {
	mu      sync.Mutex
	expires map[tokenKey]time.Time
	// issued lists keys oldest first. All tokens share one lifetime, so the
	// first entries are also the first to expire.
	issued []tokenKey
}

type tokenKey struct {
	system string
	token  string
}

func newTokenStore() *tokenStore {
	return &tokenStore{expires: map[tokenKey]time.Time{}}
}

// issue returns a new random token valid for tokenLifetime on system.
func (ts *tokenStore) issue(system string, now time.Time) string {
	key := tokenKey{system: system, token: rand.Text()}

	ts.mu.Lock()
	defer ts.mu.Unlock()

	ts.dropExpiredLocked(now)
	ts.expires[key] = now.Add(tokenLifetime)
	ts.issued = append(ts.issued, key)

	return key.token
}

// valid reports whether token was issued for system and has not expired.
func (ts *tokenStore) valid(system, token string, now time.Time) bool {
	if token == "" {
		return false
	}

	ts.mu.Lock()
	defer ts.mu.Unlock()

	expires, ok := ts.expires[tokenKey{system: system, token: token}]

	return ok && now.Before(expires)
}

func (ts *tokenStore) dropExpiredLocked(now time.Time) {
	dropped := 0
	for _, key := range ts.issued {
		if now.Before(ts.expires[key]) && len(ts.issued)-dropped < maxTokens {
			break
		}
		delete(ts.expires, key)
		dropped++
	}
	ts.issued = ts.issued[dropped:]
}
