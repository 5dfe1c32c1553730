// Package app is ehrbridge's composition root: configuration, storage,
// the HTTP router with the JSON API and the admin pages, and the wiring of
// the ehr domain around them.
package app

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/riverqueue/river"

	"ehrbridge/app/cache"
	"ehrbridge/app/locale"
	"ehrbridge/app/store"
	"ehrbridge/ehr/sim"
	"ehrbridge/locales"
	"ehrbridge/migrations"
)

// Version is the build's version, set with -ldflags "-X ehrbridge/app.Version=...".
var Version = "dev"

// App holds the services one running ehrbridge shares across requests.
type App struct {
	Config       *Config
	Logger       *slog.Logger
	Store        *store.Store
	Catalog      *locale.Catalog
	Integrations *IntegrationCache
	// Queue inserts delivery jobs and, once started, works them.
	Queue *river.Client[*sql.Tx]
	// Cache serves EHR systems with their current mappings.
	Cache *cache.Cache
	redis *redis.Client
	// lifetime ends when Close is called; background services started on
	// behalf of the app (the cache listener, River UI) stop with it.
	lifetime     context.Context
	stopLifetime context.CancelFunc
	// Simulator is the EHR simulator mounted under /sim/ in development;
	// nil in production.
	Simulator *sim.Simulator
	limits    *requestLimits
	metrics   *appMetrics
	// mappingBodies holds encoded mapping versions for GET /ehr/mapping.
	mappingBodies *encodedMappings
	// accepts queues accepted asynchronous sends for their group commit.
	accepts chan pendingAccept
}

// New opens the database (creating and migrating it when needed), seeds the
// default EHR systems on first start and returns the app ready to serve.
func New(ctx context.Context, cfg *Config, logger *slog.Logger) (*App, error) {
	catalog, err := locale.Load(locales.Files)
	if err != nil {
		return nil, fmt.Errorf("loading locales: %w", err)
	}

	if _, tagged := logger.Handler().(contextLogHandler); !tagged {
		logger = slog.New(contextLogHandler{logger.Handler()})
	}
	st, err := OpenStore(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}

	a := &App{
		Config:        cfg,
		Logger:        logger,
		Store:         st,
		Catalog:       catalog,
		Integrations:  NewIntegrationCache(cfg, newEHRClient(cfg)),
		limits:        newRequestLimits(cfg),
		metrics:       newAppMetrics(),
		mappingBodies: newEncodedMappings(cfg.CacheMaxItems),
	}
	if cfg.Development() {
		a.Simulator = sim.New(sim.Options{Logger: logger.With("component", "simulator")})
	}
	if err := a.seedDefaultSystems(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if a.Queue, err = a.newQueueClient(); err != nil {
		st.Close()
		return nil, err
	}
	if a.redis, err = newRedisClient(cfg); err != nil {
		st.Close()
		return nil, err
	}
	a.Cache = a.newMappingCache(a.redis)
	a.lifetime, a.stopLifetime = context.WithCancel(context.WithoutCancel(ctx))
	go a.Cache.Run(a.lifetime)
	a.startAcceptCommitters(a.lifetime)
	a.metrics.registry.MustRegister(newStateCollector(a))

	return a, nil
}

// OpenStore creates the database when it is missing, connects, and applies
// pending migrations.
func OpenStore(ctx context.Context, cfg *Config, logger *slog.Logger) (*store.Store, error) {
	created, err := store.EnsureDatabase(ctx, cfg.PostgresURL())
	if err != nil {
		return nil, err
	}
	if created {
		logger.Info("database created")
	}

	st, err := store.Open(ctx, cfg.PostgresURL(), cfg.DBMaxConns)
	if err != nil {
		return nil, err
	}
	st.Keyring = cfg.Keyring
	known, err := store.LoadMigrations(migrations.Files)
	if err != nil {
		st.Close()
		return nil, err
	}
	applied, err := st.Migrate(ctx, known, migrateQueue(st.SQL))
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(applied) > 0 {
		logger.Info("migrations applied", "versions", applied)
	}

	return st, nil
}

// Close stops the cache listener and releases the Redis and database
// connections.
func (a *App) Close() {
	a.stopLifetime()
	_ = a.redis.Close()
	a.Store.Close()
}

// newEHRClient is the HTTP client every integration shares: bounded
// connection pools and a time limit on each call.
func newEHRClient(cfg *Config) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	// Closing idle connections before EHR servers commonly do (60 s or more)
	// makes a call on a connection the server just closed unlikely.
	transport.IdleConnTimeout = 30 * time.Second
	transport.ResponseHeaderTimeout = cfg.EHRTimeout

	return &http.Client{
		Timeout:   cfg.EHRTimeout,
		Transport: transport,
		// EHR APIs answer directly; following a redirect could send
		// patient data to a host nobody configured.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
