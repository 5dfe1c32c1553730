package ehr

import (
	"context"
	"sync"
	"time"
)

// TokenCache keeps one access token for an integration and fetches a new
// one when it is missing, expired, or invalidated after a 401. Concurrent
// callers wait for a single fetch.
type TokenCache struct {
	// Fetch gets a new token and how long it stays valid.
	Fetch func(ctx context.Context) (token string, lifetime time.Duration, err error)

	mu      sync.Mutex
	token   string
	expires time.Time
}

// expiryMargin renews a token this long before the EHR would reject it.
const expiryMargin = 30 * time.Second

// Token returns a valid token, fetching one when needed.
func (c *TokenCache) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.token != "" && time.Now().Before(c.expires) {
		return c.token, nil
	}
	token, lifetime, err := c.Fetch(ctx)
	if err != nil {
		return "", err
	}
	c.token = token
	c.expires = time.Now().Add(lifetime - expiryMargin)

	return token, nil
}

// Invalidate drops token if it is still the cached one, so the next call
// fetches a fresh token.
func (c *TokenCache) Invalidate(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.token == token {
		c.token = ""
	}
}
