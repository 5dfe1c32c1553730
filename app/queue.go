package app

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"ehrbridge/app/store"
)

// deliveryArgs is the queue job that delivers one transaction. The job
// holds only the transaction id; the patient stays in the transactions
// table, so job rows and River's logs never carry patient data.
//
// Round separates the job of each manual retry from the jobs before it:
// the job of the previous round may still be finishing when staff retry,
// and must not be taken for the new round's job. Within a round the pair
// is unique, so a request repeated at the same moment adds no second job.
type deliveryArgs struct {
	TransactionID string `json:"transactionId" river:"unique"`
	Round         int    `json:"round" river:"unique"`
}

// Kind names the job kind in River's tables.
func (deliveryArgs) Kind() string { return "deliver_transaction" }

// activeJobStates are the states in which a transaction's job blocks a
// second one: a retry requested while a job waits or runs reuses it.
var activeJobStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable,
}

// newQueueClient builds the River client that inserts and works delivery
// jobs, and runs the hourly retention job, over the store's connection
// pool.
func (a *App) newQueueClient() (*river.Client[*sql.Tx], error) {
	cfg := a.Config
	retryPolicy := &backoffPolicy{base: cfg.QueueRetryBase, max: cfg.QueueRetryMax}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliveryWorker{app: a, retryPolicy: retryPolicy}); err != nil {
		return nil, fmt.Errorf("registering delivery worker: %w", err)
	}
	periodicJobs, err := a.addRetentionJob(workers)
	if err != nil {
		return nil, err
	}

	driver := riverdatabasesql.NewWithPgxListener(a.Store.SQL, a.Store.Pool)
	client, err := river.NewClient(driver, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.QueueConcurrency}},
		Workers:              workers,
		PeriodicJobs:         periodicJobs,
		MaxAttempts:          cfg.QueueRetryAttempts,
		FetchCooldown:        min(cfg.QueueFetchCooldown, cfg.QueuePollInterval),
		FetchPollInterval:    cfg.QueuePollInterval,
		JobTimeout:           cfg.QueueJobTimeout,
		RescueStuckJobsAfter: cfg.QueueRescueAfter,
		RetryPolicy:          retryPolicy,
		Logger:               a.Logger.With("component", "queue"),
	})
	if err != nil {
		return nil, fmt.Errorf("creating queue client: %w", err)
	}

	return client, nil
}

// migrateQueue applies River's own migrations.
func migrateQueue(sqlDB *sql.DB) func(context.Context) error {
	return func(ctx context.Context) error {
		migrator, err := rivermigrate.New(riverdatabasesql.New(sqlDB), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			return fmt.Errorf("creating queue migrator: %w", err)
		}
		if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("applying queue migrations: %w", err)
		}
		return nil
	}
}

// EnqueueDelivery returns the store callback that inserts a transaction's
// delivery job in the same database transaction. The round is the number
// of attempts so far, which grows between two manual retries.
func (a *App) EnqueueDelivery() store.Enqueue {
	return func(ctx context.Context, tx *sql.Tx, t *store.Transaction) (int64, error) {
		args := deliveryArgs{TransactionID: t.ID.String(), Round: t.Attempts}
		result, err := a.Queue.InsertTx(ctx, tx, args, &river.InsertOpts{
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeJobStates},
		})
		if err != nil {
			return 0, err
		}
		return result.Job.ID, nil
	}
}

// backoffPolicy waits base, 2×base, 4×base… between attempts, at most max,
// each wait drawn between half and all of that value so that many jobs
// failing together do not retry together.
type backoffPolicy struct {
	base time.Duration
	max  time.Duration
}

// NextRetry returns when the job's next attempt may start.
func (p *backoffPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p.wait(job.Attempt))
}

// wait is the jittered pause after the given failed attempt (1 for the
// first).
func (p *backoffPolicy) wait(attempt int) time.Duration {
	wait := p.max
	if shift := attempt - 1; shift < 30 {
		wait = min(p.base<<max(shift, 0), p.max)
	}
	half := wait / 2

	return half + rand.N(half+1)
}

// waitAtLeast is the pause after the given failed attempt when the EHR
// requested, with Retry-After, a wait of requested: the longer of the
// backoff and requested, but never more than max.
func (p *backoffPolicy) waitAtLeast(attempt int, requested time.Duration) time.Duration {
	return max(p.wait(attempt), min(requested, p.max))
}

// enqueueDeliveries returns the store callback that inserts the delivery
// jobs of many transactions with one InsertManyTx call.
func (a *App) enqueueDeliveries() store.EnqueueMany {
	return func(ctx context.Context, tx *sql.Tx, transactionIDs []uuid.UUID) ([]int64, error) {
		params := make([]river.InsertManyParams, len(transactionIDs))
		for i, id := range transactionIDs {
			params[i] = river.InsertManyParams{
				Args:       deliveryArgs{TransactionID: id.String()},
				InsertOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeJobStates}},
			}
		}
		results, err := a.Queue.InsertManyTx(ctx, tx, params)
		if err != nil {
			return nil, err
		}
		jobIDs := make([]int64, len(results))
		for i, result := range results {
			jobIDs[i] = result.Job.ID
		}
		return jobIDs, nil
	}
}
