package app

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"ehrbridge/ehr"
)

// Page sizes of GET /ehr/queue/jobs.
const (
	defaultJobPageSize = 50
	maxJobPageSize     = 500
)

type jobItem struct {
	ID            int64      `json:"id"`
	State         string     `json:"state"`
	TransactionID string     `json:"transactionId"`
	Attempt       int        `json:"attempt"`
	MaxAttempts   int        `json:"maxAttempts"`
	CreatedAt     time.Time  `json:"createdAt"`
	ScheduledAt   time.Time  `json:"scheduledAt"`
	AttemptedAt   *time.Time `json:"attemptedAt,omitempty"`
	FinalizedAt   *time.Time `json:"finalizedAt,omitempty"`
	LastError     string     `json:"lastError,omitempty"`
}

// handleListJobs is GET /ehr/queue/jobs: delivery jobs newest first,
// filtered by state, paginated by limit and cursor.
func (a *App) handleListJobs(c echo.Context) error {
	params, fieldErrs := parseJobListParams(c)
	if len(fieldErrs) > 0 {
		return invalidFields(fieldErrs)
	}

	result, err := a.Queue.JobList(c.Request().Context(), params.JobListParams)
	if err != nil {
		return storeFailure(err)
	}
	items := make([]jobItem, len(result.Jobs))
	for i, job := range result.Jobs {
		items[i] = toJobItem(job)
	}
	var next *string
	if result.LastCursor != nil && len(items) == params.limit() {
		if text, err := result.LastCursor.MarshalText(); err == nil {
			cursor := string(text)
			next = &cursor
		}
	}

	return c.JSON(http.StatusOK, map[string]any{"jobs": items, "nextCursor": next})
}

// jobListParams wraps River's list parameters with the page size, which
// River keeps private.
type jobListParams struct {
	*river.JobListParams
	pageSize int
}

func (p jobListParams) limit() int { return p.pageSize }

func parseJobListParams(c echo.Context) (jobListParams, ehr.FieldErrors) {
	var errs ehr.FieldErrors
	limit := parseLimit(c, defaultJobPageSize, maxJobPageSize, &errs)
	// River panics on a page size over 10,000, so the size is clamped even
	// when the request is about to be rejected.
	params := river.NewJobListParams().Kinds(deliveryArgs{}.Kind()).First(min(max(limit, 1), maxJobPageSize)).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc)

	if raw := c.QueryParam("state"); raw != "" {
		state := rivertype.JobState(strings.ToLower(raw))
		if !slices.Contains(rivertype.JobStates(), state) {
			errs = append(errs, ehr.FieldError{Field: "state", Code: "invalid_choice", Args: []any{jobStateNames()}})
		}
		params = params.States(state)
	}
	if raw := c.QueryParam("cursor"); raw != "" {
		var cursor river.JobListCursor
		if err := cursor.UnmarshalText([]byte(raw)); err != nil {
			errs = append(errs, ehr.FieldError{Field: "cursor", Code: "invalid_cursor"})
		} else {
			params = params.After(&cursor)
		}
	}

	return jobListParams{JobListParams: params, pageSize: limit}, errs
}

func jobStateNames() string {
	names := make([]string, 0, len(rivertype.JobStates()))
	for _, state := range rivertype.JobStates() {
		names = append(names, string(state))
	}

	return strings.Join(names, ", ")
}

func toJobItem(job *rivertype.JobRow) jobItem {
	var args deliveryArgs
	_ = json.Unmarshal(job.EncodedArgs, &args)
	item := jobItem{
		ID: job.ID, State: string(job.State), TransactionID: args.TransactionID, Attempt: job.Attempt,
		MaxAttempts: job.MaxAttempts, CreatedAt: job.CreatedAt, ScheduledAt: job.ScheduledAt,
		AttemptedAt: job.AttemptedAt, FinalizedAt: job.FinalizedAt,
	}
	if len(job.Errors) > 0 {
		item.LastError = job.Errors[len(job.Errors)-1].Error
	}

	return item
}
