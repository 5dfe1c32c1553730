package app

import (
	"ehrbridge/ehr"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river/rivertype"
)

// handleRetryJob is POST /ehr/queue/retry/:jobId: retry the transaction a
// delivery job belongs to, with the same rules as
// POST /ehr/retry-transaction/:transactionId.
func (a *App) handleRetryJob(c echo.Context) error {
	ctx := c.Request().Context()
	jobID, err := strconv.ParseInt(c.Param("jobId"), 10, 64)
	if err != nil || jobID < 1 {
		return newAPIError(http.StatusBadRequest, "invalid_path_parameter", "jobId")
	}

	job, err := a.Queue.JobGet(ctx, jobID)
	if errors.Is(err, rivertype.ErrNotFound) {
		return newAPIError(http.StatusNotFound, "job_not_found", c.Param("jobId"))
	}
	if err != nil {
		return storeFailure(err)
	}
	var args deliveryArgs
	if json.Unmarshal(job.EncodedArgs, &args) != nil {
		return newAPIError(http.StatusNotFound, "job_not_found", c.Param("jobId"))
	}
	id, err := uuid.Parse(args.TransactionID)
	if err != nil {
		return newAPIError(http.StatusNotFound, "job_not_found", c.Param("jobId"))
	}

	body, err := a.retryTransaction(ctx, id, retryableFrom(job.State))
	if err != nil {
		return err
	}
	a.audit(c, auditTransactionRetry, id.String(), map[string]any{"jobId": body.JobID, "fromJobId": jobID})

	return c.JSON(http.StatusAccepted, body)
}

// retryableFrom gives the transaction statuses a retry of a job in state
// accepts. A discarded or cancelled job cannot move its transaction on any
// more, so a retry is allowed even when the transaction still reads queued
// or processing, as after a process died in the job's last attempt.
func retryableFrom(state rivertype.JobState) []string {
	if state == rivertype.JobStateDiscarded || state == rivertype.JobStateCancelled {
		return append(slices.Clone(retryableStatuses), ehr.StatusQueued, ehr.StatusProcessing)
	}

	return retryableStatuses
}
