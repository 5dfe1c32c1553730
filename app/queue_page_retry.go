package app

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river/rivertype"
)

// handleQueueJobRetryPage is POST /queue/jobs/:id/retry: retry the
// transaction a delivery job belongs to, with the rules of
// POST /ehr/queue/retry/:jobId, then show the transaction with its new job.
func (a *App) handleQueueJobRetryPage(c echo.Context) error {
	ctx := c.Request().Context()
	raw := c.Param("id")
	jobID, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || jobID < 1 {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}
	job, err := a.Queue.JobGet(ctx, jobID)
	if errors.Is(err, rivertype.ErrNotFound) {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}
	if err != nil {
		return storeFailure(err)
	}
	var args deliveryArgs
	if json.Unmarshal(job.EncodedArgs, &args) != nil {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}
	id, err := uuid.Parse(args.TransactionID)
	if err != nil {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}

	body, err := a.retryTransaction(ctx, id, retryableFrom(job.State))
	if err != nil {
		return err
	}
	a.audit(c, auditTransactionRetry, id.String(), map[string]any{"jobId": body.JobID, "fromJobId": jobID})

	return c.Redirect(http.StatusSeeOther, retriedTransactionURL(id.String(), body.JobID))
}
