package app

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river/rivertype"

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
	ctx := c.Request().Context()
	stats, err := a.Store.QueueStats(ctx)
	if err != nil {
		return storeFailure(err)
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
		return render(c, http.StatusBadRequest, views.Queue(props))
	}

	result, err := a.Queue.JobList(ctx, params.JobListParams)
	if err != nil {
		return storeFailure(err)
	}
	for _, job := range result.Jobs {
		props.Jobs = append(props.Jobs, toQueueJobRow(job))
	}
	if result.LastCursor != nil && len(result.Jobs) == params.limit() {
		if text, err := result.LastCursor.MarshalText(); err == nil {
			props.NextURL = queuePageURL(props.State, props.Limit, string(text))
		}
	}
	if c.QueryParam("cursor") != "" {
		props.FirstURL = queuePageURL(props.State, props.Limit, "")
	}

	return render(c, http.StatusOK, views.Queue(props))
}

// toQueueJobRow describes a delivery job. A discarded or cancelled job can
// be retried.
func toQueueJobRow(job *rivertype.JobRow) views.QueueJobRow {
	item := toJobItem(job)

	return views.QueueJobRow{
		ID: item.ID, State: item.State, TransactionID: item.TransactionID, Attempt: item.Attempt,
		MaxAttempts: item.MaxAttempts, ScheduledAt: item.ScheduledAt, LastError: item.LastError,
		Retryable: job.State == rivertype.JobStateDiscarded || job.State == rivertype.JobStateCancelled,
	}
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
