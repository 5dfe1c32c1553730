package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// retentionInterval is how often the retention job runs. It also runs
// when a process becomes the queue's leader.
const retentionInterval = time.Hour

// purgeBatchSize is the number of transactions one statement purges.
const purgeBatchSize = 500

// finalStatuses are the statuses whose transactions may lose their
// payload, because no delivery is planned for them. A manual retry of a
// purged one is rejected.
var finalStatuses = []string{ehr.StatusSucceeded, ehr.StatusPartiallyFailed, ehr.StatusFailed, ehr.StatusDead}

// retentionArgs is the periodic job that deletes patient payloads older
// than PAYLOAD_RETENTION and expired sessions.
type retentionArgs struct{}

// Kind names the job kind in River's tables.
func (retentionArgs) Kind() string { return "purge_expired_data" }

// retentionWorker works retention jobs.
type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	app *App
}

// Work runs one retention pass. A returned error makes River retry it.
func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[retentionArgs]) error {
	return w.app.purgeExpiredData(ctx, time.Now())
}

// addRetentionJob registers the retention worker and returns its periodic
// job, which runs every hour and once when the queue client starts.
func (a *App) addRetentionJob(workers *river.Workers) ([]*river.PeriodicJob, error) {
	if err := river.AddWorkerSafely(workers, &retentionWorker{app: a}); err != nil {
		return nil, fmt.Errorf("registering retention worker: %w", err)
	}
	job := river.NewPeriodicJob(
		river.PeriodicInterval(retentionInterval),
		func() (river.JobArgs, *river.InsertOpts) {
			// Unique by kind while one waits or runs, so a pass that is
			// slow or retrying is not joined by the next hour's.
			return retentionArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: activeJobStates}}
		},
		&river.PeriodicJobOpts{ID: retentionArgs{}.Kind(), RunOnStart: true},
	)

	return []*river.PeriodicJob{job}, nil
}

// purgeExpiredData deletes the payload and response of final transactions
// created more than PAYLOAD_RETENTION before now (unless it is 0), and the
// sessions that ended or idled past SESSION_IDLE_TIMEOUT. It logs counts
// only.
func (a *App) purgeExpiredData(ctx context.Context, now time.Time) error {
	var purged int64
	var purgeErr error
	if a.Config.PayloadRetention > 0 {
		purged, purgeErr = a.Store.PurgePayloads(ctx, store.PayloadPurge{
			CreatedBefore: now.Add(-a.Config.PayloadRetention), Statuses: finalStatuses,
			PurgedAt: now, BatchSize: purgeBatchSize,
		})
	}
	sessions, sessionErr := a.Store.DeleteExpiredSessions(ctx, now, a.Config.SessionIdleTimeout)

	a.Logger.InfoContext(ctx, "retention pass finished", "payloads_purged", purged, "sessions_deleted", sessions,
		"payload_retention", a.Config.PayloadRetention.String())
	err := errors.Join(purgeErr, sessionErr)
	if err != nil {
		a.Logger.ErrorContext(ctx, "retention pass failed", "error", err)
	}

	return err
}
