package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/redis/go-redis/v9"

	"ehrbridge/app/cache"
	"ehrbridge/app/store"
)

// redisClientLogger replaces go-redis's own logger, which prints every
// failed connection with the standard log package: the cache already
// reports Redis failures through slog, at most once a minute.
type redisClientLogger struct{}

// Printf drops go-redis's internal messages.
func (redisClientLogger) Printf(context.Context, string, ...any) {}

// newRedisClient builds the Redis client from REDIS_URL or the REDIS_*
// variables. Every operation is bounded by REDIS_TIMEOUT and never
// retried, so a slow Redis costs a send at most one timeout.
func newRedisClient(cfg *Config) (*redis.Client, error) {
	options := &redis.Options{
		Addr:     fmt.Sprintf("%s:%d", cfg.RedisHost, cfg.RedisPort),
		Password: cfg.RedisPassword,
		DB:       cfg.RedisDB,
	}
	if cfg.RedisURL != "" {
		parsed, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, &ConfigError{Variable: "REDIS_URL", Accepted: "a redis:// or rediss:// URL"}
		}
		options = parsed
	}
	options.DialTimeout = cfg.RedisTimeout
	options.ReadTimeout = cfg.RedisTimeout
	options.WriteTimeout = cfg.RedisTimeout
	options.MaxRetries = -1
	options.DialerRetries = 1
	options.ContextTimeoutEnabled = true

	redis.SetLogger(redisClientLogger{})

	return redis.NewClient(options), nil
}

// newMappingCache builds the two-tier cache of EHR systems with their
// current mappings, loading misses from PostgreSQL.
func (a *App) newMappingCache(client *redis.Client) *cache.Cache {
	return cache.New(cache.Options{
		Redis:    client,
		Prefix:   a.Config.CachePrefix,
		TTL:      a.Config.CacheTTL,
		MaxItems: a.Config.CacheMaxItems,
		LocalTTL: a.Config.CacheLocalTTL,
		Timeout:  a.Config.RedisTimeout,
		Logger:   a.Logger.With("component", "cache"),
	}, a.loadMappingEntry)
}

// loadMappingEntry reads an EHR system and its current mapping from
// PostgreSQL.
func (a *App) loadMappingEntry(ctx context.Context, ehrName string) (cache.Entry, error) {
	system, err := a.Store.FindSystem(ctx, ehrName)
	if err != nil {
		return cache.Entry{}, err
	}
	row, err := a.Store.CurrentMapping(ctx, system.ID)
	if err != nil {
		return cache.Entry{}, err
	}
	mapping, err := toMapping(system, row)
	if err != nil {
		return cache.Entry{}, err
	}

	return cache.Entry{System: system, Mapping: mapping}, nil
}

// lookupMapping returns an EHR system with its current mapping through the
// cache, or a 404 naming the EHR.
func (a *App) lookupMapping(ctx context.Context, ehrName string) (cache.Entry, error) {
	entry, err := a.Cache.Get(ctx, ehrName)
	var apiErr *APIError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return cache.Entry{}, newAPIError(http.StatusNotFound, "unknown_ehr", ehrName)
	case errors.As(err, &apiErr):
		return cache.Entry{}, err
	case err != nil:
		return cache.Entry{}, storeFailure(err)
	}

	return entry, nil
}

// forgetMapping drops an EHR's cached mapping on every running copy after
// a change. The change is already stored, so a failure is logged: the
// in-process lifetime CACHE_LOCAL_TTL still bounds how long a copy may use
// the old mapping.
func (a *App) forgetMapping(ctx context.Context, ehrName string) {
	if err := a.Cache.Invalidate(ctx, ehrName); err != nil {
		a.Logger.WarnContext(ctx, "cache invalidation failed; copies may use the old mapping until CACHE_LOCAL_TTL ends",
			"ehr", ehrName, "error", err)
	}
}
