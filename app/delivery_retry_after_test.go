package app

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"ehrbridge/ehr"
)

func TestBackoffWaitAtLeast(t *testing.T) {
	t.Parallel()
	policy := &backoffPolicy{base: 100 * time.Millisecond, max: time.Second}

	cases := []struct {
		name        string
		attempt     int
		requested   time.Duration
		wantAtLeast time.Duration
		wantAtMost  time.Duration
	}{
		{"no request keeps the backoff", 1, 0, 50 * time.Millisecond, 100 * time.Millisecond},
		{"request shorter than the backoff", 3, 10 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond},
		{"request longer than the backoff", 1, 700 * time.Millisecond, 700 * time.Millisecond, 700 * time.Millisecond},
		{"request capped at the maximum", 1, time.Hour, time.Second, time.Second},
		{"late attempt with a short request", 40, 300 * time.Millisecond, 500 * time.Millisecond, time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			for range 50 {
				got := policy.waitAtLeast(tc.attempt, tc.requested)
				if got < tc.wantAtLeast || got > tc.wantAtMost {
					t.Fatalf("waitAtLeast(%d, %v) = %v, want between %v and %v",
						tc.attempt, tc.requested, got, tc.wantAtLeast, tc.wantAtMost)
				}
			}
		})
	}
}

func TestWithRequestedWaitTakesLongest(t *testing.T) {
	t.Parallel()
	base := errors.New("2 of 5 endpoints not delivered yet")
	outcomes := []ehr.Outcome{
		{Endpoint: "medical_history", Err: ehr.ClassifyStatus(http.StatusInternalServerError)},
		{Endpoint: "social_history", Err: withRetryAfter(ehr.ClassifyStatus(http.StatusTooManyRequests), 2*time.Second)},
		{Endpoint: "family_history", Err: withRetryAfter(ehr.ClassifyStatus(http.StatusServiceUnavailable), 3*time.Second)},
		// A permanent failure is not retried, so its wait does not count.
		{Endpoint: "insurance_info", Err: withRetryAfter(ehr.ClassifyStatus(http.StatusBadRequest), time.Hour)},
		{Endpoint: "patient_demographics", Status: ehr.EndpointSucceeded},
	}

	err := withRequestedWait(base, outcomes)

	var requested *requestedWaitError
	if !errors.As(err, &requested) {
		t.Fatalf("withRequestedWait = %v, want a *requestedWaitError", err)
	}
	if requested.wait != 3*time.Second {
		t.Errorf("wait = %v, want 3s", requested.wait)
	}
	if !errors.Is(err, base) {
		t.Errorf("withRequestedWait lost the attempt's error: %v", err)
	}
	if err.Error() != base.Error() {
		t.Errorf("Error() = %q, want %q", err.Error(), base.Error())
	}
}

func TestWithRequestedWaitWithoutRetryAfter(t *testing.T) {
	t.Parallel()
	base := errors.New("1 of 5 endpoints not delivered yet")
	outcomes := []ehr.Outcome{{Endpoint: "medical_history", Err: ehr.ClassifyStatus(http.StatusTooManyRequests)}}

	if err := withRequestedWait(base, outcomes); err != base {
		t.Errorf("withRequestedWait = %#v, want the error unchanged", err)
	}
}

func TestRequestedWaitsKeepAndTake(t *testing.T) {
	t.Parallel()
	var waits requestedWaits
	wrapped := &requestedWaitError{wait: 2 * time.Second, err: errors.New("not delivered yet")}

	waits.keep(7, wrapped)
	got, ok := waits.take(7)
	if !ok || got != 2*time.Second {
		t.Errorf("take after keep = %v, %v; want 2s, true", got, ok)
	}
	if _, ok := waits.take(7); ok {
		t.Error("second take found an entry, want it removed")
	}

	waits.keep(8, wrapped)
	waits.keep(8, errors.New("failed without Retry-After"))
	if _, ok := waits.take(8); ok {
		t.Error("take found an entry after a failure without Retry-After")
	}
}

func TestDeliveryWorkerNextRetry(t *testing.T) {
	t.Parallel()
	worker := &deliveryWorker{
		app:         &App{Logger: slog.New(slog.DiscardHandler)},
		retryPolicy: &backoffPolicy{base: 100 * time.Millisecond, max: time.Second},
	}
	job := &river.Job[deliveryArgs]{JobRow: &rivertype.JobRow{ID: 11, Attempt: 1}, Args: deliveryArgs{TransactionID: "t"}}

	if got := worker.NextRetry(job); !got.IsZero() {
		t.Errorf("NextRetry without a Retry-After = %v, want the zero time", got)
	}

	worker.requestedWaits.keep(job.ID, &requestedWaitError{wait: 600 * time.Millisecond, err: errors.New("429")})
	before := time.Now()
	got := worker.NextRetry(job)
	after := time.Now()
	if got.Before(before.Add(600*time.Millisecond)) || got.After(after.Add(600*time.Millisecond)) {
		t.Errorf("NextRetry = %v after %v, want 600ms later", got.Sub(before), before)
	}
}

func withRetryAfter(err *ehr.CallError, wait time.Duration) *ehr.CallError {
	err.RetryAfter = wait
	return err
}
