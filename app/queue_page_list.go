package app

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river/rivertype"

	"ehrbridge/app/store"
	"ehrbridge/views"
)

// queuePageLabels names the label key of each query parameter of the
// queue page, for its error messages.
var queuePageLabels = map[string]string{
	"state": "page.queue.state", "limit": "page.transactions.limit", "cursor": "page.transactions.cursor",
}

// handleQueuePage is GET /queue: delivery jobs by state, the backlog, and
// the jobs newest first, filtered by ?state and paginated like
// GET /ehr/queue/jobs.
func (a *App) handleQueuePage(c echo.Context) error {
	props, status, err := a.queuePageProps(c)
	if err != nil {
		return err
	}

	return render(c, status, views.Queue(props))
}

// queuePageProps reads the queue page's figures and jobs, and gives the
// status to answer with: 400 when a query parameter is invalid.
func (a *App) queuePageProps(c echo.Context) (views.QueueProps, int, error) {
	ctx := c.Request().Context()
	stats, err := a.Store.QueueStats(ctx)
	if err != nil {
		return views.QueueProps{}, 0, storeFailure(err)
	}
	props := views.QueueProps{
		Page: a.page(c, "page.queue.title"), Summary: queueSummary(stats), State: c.QueryParam("state"),
		Limit: c.QueryParam("limit"), RiverUI: riverUIPrefix,
	}
	for _, state := range rivertype.JobStates() {
		props.States = append(props.States, string(state))
		props.Counts = append(props.Counts, views.QueueStateCount{State: string(state), Count: stats.ByState[string(state)]})
	}

	params, fieldErrs := parseJobListParams(c)
	if len(fieldErrs) > 0 {
		tag := a.requestLanguage(c)
		props.Errors = map[string]string{}
		for _, fe := range fieldErrs {
			field := fe.Field
			fe.Field = a.Catalog.Text(tag, queuePageLabels[field])
			props.Errors[field] = a.Catalog.FieldMessage(tag, fe)
		}
		return props, http.StatusBadRequest, nil
	}

	result, err := a.Queue.JobList(ctx, params.JobListParams)
	if err != nil {
		return views.QueueProps{}, 0, storeFailure(err)
	}
	if props.Jobs, err = a.queueJobRows(c, result.Jobs); err != nil {
		return views.QueueProps{}, 0, err
	}
	if result.LastCursor != nil && len(result.Jobs) == params.limit() {
		if text, err := result.LastCursor.MarshalText(); err == nil {
			props.NextURL = queuePageURL(props.State, props.Limit, string(text))
		}
	}
	if c.QueryParam("cursor") != "" {
		props.FirstURL = queuePageURL(props.State, props.Limit, "")
	}

	return props, http.StatusOK, nil
}

// queueJobRows describes the listed jobs, reading their transactions with
// one query.
func (a *App) queueJobRows(c echo.Context, jobs []*rivertype.JobRow) ([]views.QueueJobRow, error) {
	var ids []uuid.UUID
	for _, job := range jobs {
		if id, err := uuid.Parse(toJobItem(job).TransactionID); err == nil {
			ids = append(ids, id)
		}
	}
	txns, err := a.Store.FindJobTransactions(c.Request().Context(), ids)
	if err != nil {
		return nil, storeFailure(err)
	}
	rows := make([]views.QueueJobRow, len(jobs))
	for i, job := range jobs {
		rows[i] = toQueueJobRow(job, txns)
	}

	return rows, nil
}

// toQueueJobRow describes a delivery job with the status of its
// transaction, found in txns.
func toQueueJobRow(job *rivertype.JobRow, txns map[uuid.UUID]store.JobTransaction) views.QueueJobRow {
	item := toJobItem(job)
	row := views.QueueJobRow{
		ID: item.ID, State: item.State, TransactionID: item.TransactionID, Attempt: item.Attempt,
		MaxAttempts: item.MaxAttempts, ScheduledAt: item.ScheduledAt, LastError: item.LastError,
	}
	if id, err := uuid.Parse(item.TransactionID); err == nil {
		if txn, ok := txns[id]; ok {
			row.TransactionStatus = txn.Status
			row.Retryable = jobRetryable(job, txn)
		}
	}

	return row
}

// jobRetryable reports whether the queue page offers to retry job: it was
// discarded or cancelled, it is still its transaction's current job, and
// the transaction's status allows a retry from it.
func jobRetryable(job *rivertype.JobRow, txn store.JobTransaction) bool {
	if job.State != rivertype.JobStateDiscarded && job.State != rivertype.JobStateCancelled {
		return false
	}
	if txn.JobID == nil || *txn.JobID != job.ID {
		return false
	}

	return slices.Contains(retryableFrom(job.State), txn.Status)
}

// queuePageURL is the queue page with a state filter, page size and cursor.
func queuePageURL(state, limit, cursor string) string {
	values := url.Values{}
	for key, value := range map[string]string{"state": state, "limit": limit, "cursor": cursor} {
		if value != "" {
			values.Set(key, value)
		}
	}
	if len(values) == 0 {
		return "/queue"
	}

	return "/queue?" + values.Encode()
}
