package app

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river/rivertype"

	"ehrbridge/app/cache"
	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// dashboardFailureCount is how many recent failures the dashboard lists.
const dashboardFailureCount = 10

// handleDashboardPage is GET /dashboard: today's sends, the queue, the
// cache and the latest failures.
func (a *App) handleDashboardPage(c echo.Context) error {
	data, err := a.dashboardData(c.Request().Context())
	if err != nil {
		return err
	}
	props := views.DashboardProps{Page: a.page(c, "page.dashboard.title"), Data: data}

	return render(c, http.StatusOK, views.Dashboard(props))
}

// handleDashboardLive is GET /dashboard/live: the dashboard's refreshing
// region alone, for HTMX.
func (a *App) handleDashboardLive(c echo.Context) error {
	data, err := a.dashboardData(c.Request().Context())
	if err != nil {
		return err
	}
	props := views.DashboardProps{Page: a.page(c, "page.dashboard.title"), Data: data}

	return render(c, http.StatusOK, views.DashboardLive(props))
}

// dashboardData reads every figure the dashboard shows.
func (a *App) dashboardData(ctx context.Context) (views.DashboardData, error) {
	now := time.Now().UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	counts, err := a.Store.CountTransactionsSince(ctx, day)
	if err != nil {
		return views.DashboardData{}, storeFailure(err)
	}
	stats, err := a.Store.QueueStats(ctx)
	if err != nil {
		return views.DashboardData{}, storeFailure(err)
	}
	failures, err := a.Store.LatestTransactionsWithStatus(ctx, retryableStatuses, dashboardFailureCount)
	if err != nil {
		return views.DashboardData{}, storeFailure(err)
	}

	data := dashboardCounts(day, counts)
	data.Queue = queueSummary(stats)
	data.CacheTiers = dashboardCacheTiers(a.Cache.Stats())
	data.Failures = toTransactionsRows(failures)

	return data, nil
}

// dashboardCounts totals the day's counts by status and by EHR system,
// listing every status even when its count is zero.
func dashboardCounts(day time.Time, counts []store.TransactionCount) views.DashboardData {
	data := views.DashboardData{Day: day}
	byStatus := map[string]int64{}
	var order []string
	byEHR := map[string]map[string]int64{}
	for _, count := range counts {
		data.TodayTotal += count.Count
		byStatus[count.Status] += count.Count
		if byEHR[count.EHRName] == nil {
			byEHR[count.EHRName] = map[string]int64{}
			order = append(order, count.EHRName)
		}
		byEHR[count.EHRName][count.Status] += count.Count
	}
	data.TodayByStatus = statusCounts(byStatus)
	for _, name := range order {
		row := views.DashboardEHRCounts{EHRName: name, Counts: statusCounts(byEHR[name])}
		for _, count := range row.Counts {
			row.Total += count.Count
		}
		data.TodayByEHR = append(data.TodayByEHR, row)
	}

	return data
}

// statusCounts lists every transaction status with its count.
func statusCounts(byStatus map[string]int64) []views.DashboardStatusCount {
	out := make([]views.DashboardStatusCount, len(ehr.TransactionStatuses))
	for i, status := range ehr.TransactionStatuses {
		out[i] = views.DashboardStatusCount{Status: status, Count: byStatus[status]}
	}

	return out
}

// queueSummary reduces the queue's counts to its backlog and throughput:
// waiting jobs are those available, scheduled or waiting for a retry.
func queueSummary(stats store.QueueStats) views.QueueSummary {
	summary := views.QueueSummary{
		Running:             stats.ByState[string(rivertype.JobStateRunning)],
		CompletedLastMinute: stats.CompletedLastMinute,
		FailedLastMinute:    stats.FailedLastMinute,
		OldestWaiting:       stats.OldestWaiting,
	}
	for _, state := range []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateRetryable, rivertype.JobStateScheduled} {
		summary.Waiting += stats.ByState[string(state)]
	}

	return summary
}

// dashboardCacheTiers gives the hit rate of each cache tier.
func dashboardCacheTiers(stats cache.Stats) []views.DashboardCacheTier {
	tiers := []struct {
		name  string
		stats cache.TierStats
	}{{"local", stats.Local}, {"redis", stats.Redis}, {"database", stats.Database}}
	out := make([]views.DashboardCacheTier, len(tiers))
	for i, tier := range tiers {
		out[i] = views.DashboardCacheTier{
			Tier: tier.name, Lookups: tier.stats.Hits + tier.stats.Misses, HitRate: tier.stats.HitRate,
		}
	}

	return out
}
