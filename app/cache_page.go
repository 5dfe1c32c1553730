package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/cache"
	"ehrbridge/views"
)

// handleCachePage is GET /cache: each tier's counters, Redis health and
// the invalidation counters, with the forms that invalidate the cache.
// The parameter invalidated names an EHR just invalidated, and cleared=1
// follows a clear.
func (a *App) handleCachePage(c echo.Context) error {
	systems, err := a.Store.ListSystems(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}
	stats := a.Cache.Stats()
	props := views.CacheProps{
		Page: a.page(c, "page.cache.title"), Since: stats.Since, Tiers: cacheTierRows(stats),
		Redis: views.CacheRedisState{
			Configured: stats.RedisHealth.Configured, Up: stats.RedisHealth.Up,
			Since: stats.RedisHealth.Since, Reason: stats.RedisHealth.Reason,
		},
		Invalidations: stats.Invalidations, Clears: stats.Clears, Received: stats.InvalidationsReceived,
		AckTimeouts: stats.AckTimeouts, Pending: stats.PendingInvalidations,
		Cleared: c.QueryParam("cleared") == "1",
	}
	for _, system := range systems {
		props.EHRNames = append(props.EHRNames, system.Name)
	}
	// Only a configured name is repeated back, so the notice cannot carry
	// arbitrary text from a link.
	if system, ok := systemByName(systems, c.QueryParam("invalidated")); ok {
		props.Invalidated = system.Name
	}

	return render(c, http.StatusOK, views.Cache(props))
}

// cacheTierRows lists the counters of each tier in lookup order.
func cacheTierRows(stats cache.Stats) []views.CacheTierRow {
	tiers := []struct {
		name  string
		stats cache.TierStats
	}{{"local", stats.Local}, {"redis", stats.Redis}, {"database", stats.Database}}
	rows := make([]views.CacheTierRow, len(tiers))
	for i, tier := range tiers {
		s := tier.stats
		rows[i] = views.CacheTierRow{
			Tier: tier.name, Hits: s.Hits, Misses: s.Misses, Errors: s.Errors, Skipped: s.Skipped,
			HitRate: s.HitRate, Entries: s.Entries, Mean: s.MeanLookup, P99: s.P99Lookup, Samples: s.Samples,
		}
	}

	return rows
}
