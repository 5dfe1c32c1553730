package app

import (
	"errors"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"ehrbridge/ehr"
)

// requestedWaitError is a failed delivery attempt after which an EHR
// requested, with Retry-After, a wait before it is called again.
type requestedWaitError struct {
	wait time.Duration
	err  error
}

func (e *requestedWaitError) Error() string { return e.err.Error() }

func (e *requestedWaitError) Unwrap() error { return e.err }

// withRequestedWait wraps err with the longest Retry-After among the
// outcomes that a retry may still deliver. It returns err unchanged when
// no such EHR response carried one.
func withRequestedWait(err error, outcomes []ehr.Outcome) error {
	var longest time.Duration
	for _, outcome := range outcomes {
		if outcome.Err != nil && outcome.Err.Retryable() {
			longest = max(longest, outcome.Err.RetryAfter)
		}
	}
	if longest <= 0 {
		return err
	}

	return &requestedWaitError{wait: longest, err: err}
}

// requestedWaits holds, by job id, the Retry-After of the attempt that
// just failed. River calls the worker's NextRetry right after Work returns
// the error, in the same process, and NextRetry removes the entry.
type requestedWaits struct {
	byJob sync.Map // int64 job id → time.Duration
}

// keep stores the wait that err requests, or removes the job's entry when
// err requests none.
func (r *requestedWaits) keep(jobID int64, err error) {
	var requested *requestedWaitError
	if errors.As(err, &requested) {
		r.byJob.Store(jobID, requested.wait)
		return
	}
	r.byJob.Delete(jobID)
}

// take returns and removes the wait stored for the job.
func (r *requestedWaits) take(jobID int64) (time.Duration, bool) {
	value, ok := r.byJob.LoadAndDelete(jobID)
	if !ok {
		return 0, false
	}

	return value.(time.Duration), true
}

// NextRetry schedules the retry of an attempt whose EHR responded with
// Retry-After: after the backoff or the requested wait, whichever is
// longer, but no later than QUEUE_RETRY_MAX_DELAY from now. The attempt
// still counts toward QUEUE_RETRY_ATTEMPTS and is recorded in the job's
// errors like any failure. A zero time lets River use backoffPolicy.
func (w *deliveryWorker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	requested, ok := w.requestedWaits.take(job.ID)
	if !ok {
		return time.Time{}
	}
	wait := w.retryPolicy.waitAtLeast(job.Attempt, requested)
	w.app.Logger.Info("delivery retry scheduled after the EHR's Retry-After", "job_id", job.ID,
		"transaction_id", job.Args.TransactionID, "retry_after", requested.String(), "wait", wait.String())

	return time.Now().Add(wait)
}
