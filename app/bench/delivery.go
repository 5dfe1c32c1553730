package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// finalStatuses are the transaction statuses after which the queue does
// no more work unless someone retries the transaction.
var finalStatuses = []string{"succeeded", "partially_failed", "failed", "dead"}

const (
	deliveryPollInterval = 250 * time.Millisecond
	// transactionPageSize is the largest limit GET /ehr/transactions takes.
	transactionPageSize = 500
	// The list query covers the accepts' Date headers widened by these
	// margins. A Date header is truncated to the second and is written
	// after the transaction is created, so the creation time can fall a
	// little before or after it. Transactions outside the range are read
	// one by one instead.
	windowMarginBefore = 10 * time.Second
	windowMarginAfter  = 2 * time.Second
)

// DeliveryReport is the outcome of the e2e scenario's wait for delivery.
type DeliveryReport struct {
	Accepted int `json:"accepted"`
	Final    int `json:"final"`
	Pending  int `json:"pending"`
	// ByStatus counts the final transactions by status; every final
	// status is present, with 0 when none ended in it.
	ByStatus map[string]int `json:"byStatus"`
	// WindowMs is the time from the first accepted send to the last final
	// one. It comes from the server's createdAt and completedAt when it
	// returned them, and from this machine's clock otherwise.
	WindowMs            float64 `json:"windowMs"`
	DeliveriesPerSecond float64 `json:"deliveriesPerSecond"`
	TimedOut            bool    `json:"timedOut"`
	PollRequests        int     `json:"pollRequests"`
	PollErrors          int     `json:"pollErrors"`
}

// transactionState is the part of a transaction list item or detail that
// the wait reads.
type transactionState struct {
	ID          string  `json:"id"`
	Status      string  `json:"status"`
	CreatedAt   string  `json:"createdAt"`
	CompletedAt *string `json:"completedAt"`
}

type transactionPage struct {
	Transactions []transactionState `json:"transactions"`
	NextCursor   *string            `json:"nextCursor"`
}

// errPollRejected marks a poll response that retrying cannot fix, such as
// 401 or 403.
var errPollRejected = errors.New("the server rejected the transaction query")

// deliveryTracker follows accepted sends until each is final.
type deliveryTracker struct {
	client  *http.Client
	opts    Options
	pending map[string]bool
	byID    map[string]acceptedSend
	report  DeliveryReport
	// listFrom and listTo bound the list query by creation time. Both are
	// zero when a 202 response had no Date header, and then every
	// transaction is read one by one.
	listFrom, listTo time.Time
	// firstCreated and lastCompleted are server times, and firstAccepted
	// and lastFinalSeen are times on this machine's clock.
	firstCreated, lastCompleted  time.Time
	firstAccepted, lastFinalSeen time.Time
	missingServerTimes           bool
}

// awaitDeliveries polls the server until every accepted send is final,
// opts.DeliveryTimeout passes, or ctx is cancelled. It returns an error,
// along with what it measured, when the server rejects a poll.
func awaitDeliveries(ctx context.Context, client *http.Client, opts Options, accepted []acceptedSend) (DeliveryReport, error) {
	tracker := newDeliveryTracker(client, opts, accepted)
	waitCtx, cancel := context.WithTimeout(ctx, opts.DeliveryTimeout)
	defer cancel()

	for len(tracker.pending) > 0 {
		err := tracker.pollOnce(waitCtx)
		if errors.Is(err, errPollRejected) {
			return tracker.finish(), err
		}
		if err != nil && waitCtx.Err() == nil {
			tracker.report.PollErrors++
		}
		if len(tracker.pending) == 0 {
			break
		}
		select {
		case <-waitCtx.Done():
			tracker.report.TimedOut = ctx.Err() == nil
			return tracker.finish(), nil
		case <-time.After(deliveryPollInterval):
		}
	}

	return tracker.finish(), nil
}

func newDeliveryTracker(client *http.Client, opts Options, accepted []acceptedSend) *deliveryTracker {
	tracker := &deliveryTracker{
		client: client, opts: opts,
		pending: map[string]bool{}, byID: map[string]acceptedSend{},
		report: DeliveryReport{Accepted: len(accepted), ByStatus: map[string]int{}},
	}
	for _, status := range finalStatuses {
		tracker.report.ByStatus[status] = 0
	}
	datesKnown := true
	for _, send := range accepted {
		tracker.pending[send.transactionID] = true
		tracker.byID[send.transactionID] = send
		if tracker.firstAccepted.IsZero() || send.receivedAt.Before(tracker.firstAccepted) {
			tracker.firstAccepted = send.receivedAt
		}
		if send.serverDate.IsZero() {
			datesKnown = false
			continue
		}
		if tracker.listFrom.IsZero() || send.serverDate.Before(tracker.listFrom) {
			tracker.listFrom = send.serverDate
		}
		if send.serverDate.After(tracker.listTo) {
			tracker.listTo = send.serverDate
		}
	}
	if datesKnown && len(accepted) > 0 {
		tracker.listFrom = tracker.listFrom.Add(-windowMarginBefore)
		tracker.listTo = tracker.listTo.Add(windowMarginAfter)
	} else {
		tracker.listFrom, tracker.listTo = time.Time{}, time.Time{}
	}

	return tracker
}

// pollOnce lists the transactions created while the sends were accepted,
// then reads one by one the pending ones the list did not include.
func (t *deliveryTracker) pollOnce(ctx context.Context) error {
	listed := map[string]bool{}
	if !t.listFrom.IsZero() {
		if err := t.pollList(ctx, listed); err != nil {
			return err
		}
	}
	for id := range t.pending {
		if listed[id] {
			continue
		}
		var state transactionState
		if err := t.getJSON(ctx, t.opts.BaseURL.JoinPath("ehr", "transactions", id), &state); err != nil {
			return err
		}
		t.observe(state)
	}

	return nil
}

func (t *deliveryTracker) pollList(ctx context.Context, listed map[string]bool) error {
	cursor := ""
	for {
		var page transactionPage
		if err := t.getJSON(ctx, t.listURL(cursor), &page); err != nil {
			return err
		}
		for _, state := range page.Transactions {
			listed[state.ID] = true
			t.observe(state)
		}
		if page.NextCursor == nil || len(t.pending) == 0 {
			return nil
		}
		cursor = *page.NextCursor
	}
}

func (t *deliveryTracker) listURL(cursor string) *url.URL {
	query := url.Values{}
	query.Set("ehrName", t.opts.EHR)
	query.Set("from", t.listFrom.UTC().Format(time.RFC3339))
	query.Set("to", t.listTo.UTC().Format(time.RFC3339))
	query.Set("limit", strconv.Itoa(transactionPageSize))
	if cursor != "" {
		query.Set("cursor", cursor)
	}
	u := t.opts.BaseURL.JoinPath("ehr", "transactions")
	u.RawQuery = query.Encode()

	return u
}

// getJSON decodes the response body of a GET into out. A 4xx status other
// than 408 and 429 is errPollRejected, and other failures are worth
// retrying.
func (t *deliveryTracker) getJSON(ctx context.Context, u *url.URL, out any) error {
	t.report.PollRequests++
	response, err := send(ctx, t.client, requestSpec{method: http.MethodGet, url: u.String(), apiKey: t.opts.APIKey})
	if err != nil {
		return err
	}
	if response.status == http.StatusOK {
		return json.Unmarshal(response.body, out)
	}
	switch {
	case response.status == http.StatusUnauthorized || response.status == http.StatusForbidden:
		return fmt.Errorf("%w: GET %s returned status %d, so check that the API key has the read scope", errPollRejected, u.Path, response.status)
	case response.status >= 400 && response.status < 500 && response.status != http.StatusRequestTimeout && response.status != http.StatusTooManyRequests:
		return fmt.Errorf("%w: GET %s returned status %d", errPollRejected, u.Path, response.status)
	}

	return fmt.Errorf("GET %s returned status %d", u.Path, response.status)
}

// observe records a transaction's state if it is one of the accepted
// sends.
func (t *deliveryTracker) observe(state transactionState) {
	if _, ours := t.byID[state.ID]; !ours {
		return
	}
	if created, err := time.Parse(time.RFC3339, state.CreatedAt); err == nil {
		if t.firstCreated.IsZero() || created.Before(t.firstCreated) {
			t.firstCreated = created
		}
	}
	if !t.pending[state.ID] || !slices.Contains(finalStatuses, state.Status) {
		return
	}

	delete(t.pending, state.ID)
	t.report.ByStatus[state.Status]++
	t.lastFinalSeen = time.Now()
	completed, err := parseOptionalTime(state.CompletedAt)
	if err != nil || completed.IsZero() {
		t.missingServerTimes = true
		return
	}
	if completed.After(t.lastCompleted) {
		t.lastCompleted = completed
	}
}

func parseOptionalTime(raw *string) (time.Time, error) {
	if raw == nil {
		return time.Time{}, nil
	}

	return time.Parse(time.RFC3339, *raw)
}

// finish fills in the totals and the delivery rate.
func (t *deliveryTracker) finish() DeliveryReport {
	report := t.report
	report.Pending = len(t.pending)
	report.Final = report.Accepted - report.Pending
	if report.Final == 0 {
		return report
	}

	window := t.lastCompleted.Sub(t.firstCreated)
	if t.missingServerTimes || t.firstCreated.IsZero() || window <= 0 {
		window = t.lastFinalSeen.Sub(t.firstAccepted)
	}
	if window > 0 {
		report.WindowMs = milliseconds(window)
		report.DeliveriesPerSecond = float64(report.Final) / window.Seconds()
	}

	return report
}
