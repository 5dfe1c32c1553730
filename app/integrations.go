package app

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"ehrbridge/app/store"
	"ehrbridge/ehr"

	// EHR families register themselves with ehr.RegisterFamily.
	_ "ehrbridge/ehr/allscripts"
	_ "ehrbridge/ehr/athena"
	_ "ehrbridge/ehr/rest"
)

// SimulatorBasePrefix starts the base URL of an EHR system that points at
// the simulator this process serves in development.
const SimulatorBasePrefix = "/sim/"

// ErrSimulatorInProduction reports an EHR system configured to use the
// simulator in a production process, which never serves it.
var ErrSimulatorInProduction = errors.New("EHR system points at the simulator, which production does not serve")

// IntegrationCache keeps one ehr.Integration per configured system, so
// tokens and connections are reused across sends. An entry is rebuilt when
// the system's settings change.
type IntegrationCache struct {
	development bool
	client      *http.Client

	mu      sync.Mutex
	selfURL string
	entries map[int64]cachedIntegration
}

type cachedIntegration struct {
	updatedAt   time.Time
	integration ehr.Integration
}

// NewIntegrationCache returns an empty cache whose integrations share client.
func NewIntegrationCache(cfg *Config, client *http.Client) *IntegrationCache {
	host := cfg.Host
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}

	return &IntegrationCache{
		development: cfg.Development(),
		client:      client,
		selfURL:     "http://" + net.JoinHostPort(host, strconv.Itoa(cfg.Port)),
		entries:     map[int64]cachedIntegration{},
	}
}

// SetSelfURL sets the URL this process serves on, which simulator base URLs
// are resolved against, and drops every cached integration.
func (c *IntegrationCache) SetSelfURL(url string) {
	c.mu.Lock()
	defer c.mu.Unlock()

	c.selfURL = strings.TrimSuffix(url, "/")
	c.entries = map[int64]cachedIntegration{}
}

// For returns the integration of system, building it on first use.
func (c *IntegrationCache) For(system store.System) (ehr.Integration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if entry, ok := c.entries[system.ID]; ok && entry.updatedAt.Equal(system.UpdatedAt) {
		return entry.integration, nil
	}
	integration, err := c.build(system)
	if err != nil {
		return nil, err
	}
	c.entries[system.ID] = cachedIntegration{updatedAt: system.UpdatedAt, integration: integration}

	return integration, nil
}

func (c *IntegrationCache) build(system store.System) (ehr.Integration, error) {
	family, ok := ehr.LookupFamily(system.Family)
	if !ok {
		return nil, fmt.Errorf("EHR system %d has unknown family %q", system.ID, system.Family)
	}
	baseURL, err := c.resolveBaseURL(system.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("EHR system %d: %w", system.ID, err)
	}

	conn := ehr.Connection{
		Name:       system.Name,
		Family:     family.Name,
		BaseURL:    baseURL,
		PracticeID: system.PracticeID,
		AuthKind:   system.AuthKind,
		ClientID:   system.ClientID,
		Options:    system.Options,
	}
	if system.SecretEnv != "" {
		conn.Secret = os.Getenv(system.SecretEnv)
	}

	return family.New(conn, c.client)
}

// resolveBaseURL turns a simulator base URL into an absolute URL on this
// process in development and rejects it in production.
func (c *IntegrationCache) resolveBaseURL(baseURL string) (string, error) {
	if !strings.HasPrefix(baseURL, SimulatorBasePrefix) {
		return strings.TrimSuffix(baseURL, "/"), nil
	}
	if !c.development {
		return "", ErrSimulatorInProduction
	}

	return c.selfURL + strings.TrimSuffix(baseURL, "/"), nil
}

// IsSimulatorURL reports whether a system's base URL points at the
// simulator.
func IsSimulatorURL(baseURL string) bool {
	return strings.HasPrefix(baseURL, SimulatorBasePrefix)
}
