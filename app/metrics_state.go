package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// stateCollector reports, at each scrape, the counts kept in PostgreSQL
// and the cache: queue jobs by kind and state, transactions by status, and
// cache lookups per tier. Reading them at scrape time keeps them exact
// across processes, since every copy reads the same tables.
type stateCollector struct {
	a *App

	queueJobs    *prometheus.Desc
	transactions *prometheus.Desc
	cacheLookups *prometheus.Desc
	cacheEntries *prometheus.Desc
	redisUp      *prometheus.Desc
}

// stateQueryTimeout bounds each scrape-time query, so a slow database
// cannot hold a scrape.
const stateQueryTimeout = 2 * time.Second

func newStateCollector(a *App) *stateCollector {
	return &stateCollector{
		a: a,
		queueJobs: prometheus.NewDesc("ehrbridge_queue_jobs",
			"Queue jobs by kind and state, read from the database at scrape time.", []string{"kind", "state"}, nil),
		transactions: prometheus.NewDesc("ehrbridge_transactions",
			"Transactions by status, read from the database at scrape time.", []string{"status"}, nil),
		cacheLookups: prometheus.NewDesc("ehrbridge_mapping_cache_lookups_total",
			"Mapping lookups of this process by cache tier (local, redis, database) and result (hit, miss, error, skipped).", []string{"tier", "result"}, nil),
		cacheEntries: prometheus.NewDesc("ehrbridge_mapping_cache_local_entries",
			"Mappings held in this process's in-memory cache.", nil, nil),
		redisUp: prometheus.NewDesc("ehrbridge_redis_up",
			"1 when the mapping cache reaches Redis, 0 when it reads through to PostgreSQL.", nil, nil),
	}
}

// Describe sends the descriptors of every metric the collector reports.
func (s *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, desc := range []*prometheus.Desc{s.queueJobs, s.transactions, s.cacheLookups, s.cacheEntries, s.redisUp} {
		ch <- desc
	}
}

// Collect reads the counts. A failed query leaves its metric out of the
// scrape and is reported to the metrics handler as an error.
func (s *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(s.a.lifetime, stateQueryTimeout)
	defer cancel()

	s.collectQueue(ctx, ch)
	s.collectTransactions(ctx, ch)
	s.collectCache(ch)
}

func (s *stateCollector) collectQueue(ctx context.Context, ch chan<- prometheus.Metric) {
	counts, err := s.a.Store.QueueJobCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(s.queueJobs, err)
		return
	}
	for _, count := range counts {
		ch <- prometheus.MustNewConstMetric(s.queueJobs, prometheus.GaugeValue, float64(count.Count), count.Kind, count.State)
	}
}

func (s *stateCollector) collectTransactions(ctx context.Context, ch chan<- prometheus.Metric) {
	counts, err := s.a.Store.TransactionCountsByStatus(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(s.transactions, err)
		return
	}
	for status, count := range counts {
		ch <- prometheus.MustNewConstMetric(s.transactions, prometheus.GaugeValue, float64(count), status)
	}
}

func (s *stateCollector) collectCache(ch chan<- prometheus.Metric) {
	stats := s.a.Cache.Stats()
	for tier, tierStats := range map[string]struct{ hits, misses, errors, skipped int64 }{
		"local":    {stats.Local.Hits, stats.Local.Misses, stats.Local.Errors, stats.Local.Skipped},
		"redis":    {stats.Redis.Hits, stats.Redis.Misses, stats.Redis.Errors, stats.Redis.Skipped},
		"database": {stats.Database.Hits, stats.Database.Misses, stats.Database.Errors, stats.Database.Skipped},
	} {
		for result, value := range map[string]int64{"hit": tierStats.hits, "miss": tierStats.misses, "error": tierStats.errors, "skipped": tierStats.skipped} {
			ch <- prometheus.MustNewConstMetric(s.cacheLookups, prometheus.CounterValue, float64(value), tier, result)
		}
	}
	ch <- prometheus.MustNewConstMetric(s.cacheEntries, prometheus.GaugeValue, float64(stats.Local.Entries))

	up := 0.0
	if stats.RedisHealth.Up {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(s.redisUp, prometheus.GaugeValue, up)
}
