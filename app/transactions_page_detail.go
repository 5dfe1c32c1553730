package app

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleTransactionDetailPage is GET /transactions/:id: the transaction
// with each endpoint's ledger row and its payload masked. After a retry,
// ?retried= names the job it queued.
func (a *App) handleTransactionDetailPage(c echo.Context) error {
	props, err := a.transactionDetailProps(c)
	if err != nil {
		return err
	}

	return render(c, http.StatusOK, views.TransactionDetail(props))
}

// handleTransactionLive is GET /transactions/:id/live: the detail page's
// refreshing region alone, for HTMX. It keeps the page's ?retried=.
func (a *App) handleTransactionLive(c echo.Context) error {
	props, err := a.transactionDetailProps(c)
	if err != nil {
		return err
	}

	return render(c, http.StatusOK, views.TransactionLive(props))
}

// transactionDetailProps loads the transaction named by the :id parameter
// and describes it for the page with its payload masked.
func (a *App) transactionDetailProps(c echo.Context) (views.TransactionDetailProps, error) {
	_, props, err := a.loadTransactionPage(c)

	return props, err
}

// loadTransactionPage loads the transaction named by the :id parameter and
// returns it with the page's props, its payload masked. ?retried= is kept
// only while it names the transaction's current job.
func (a *App) loadTransactionPage(c echo.Context) (store.Transaction, views.TransactionDetailProps, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return store.Transaction{}, views.TransactionDetailProps{}, newAPIError(http.StatusNotFound, "transaction_not_found", c.Param("id"))
	}
	txn, err := a.Store.FindTransaction(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Transaction{}, views.TransactionDetailProps{}, newAPIError(http.StatusNotFound, "transaction_not_found", id.String())
	}
	if err != nil {
		return store.Transaction{}, views.TransactionDetailProps{}, storeFailure(err)
	}
	payload, err := maskedPagePayload(txn)
	if err != nil {
		return store.Transaction{}, views.TransactionDetailProps{}, internalError(err)
	}

	props := views.TransactionDetailProps{
		Page: a.page(c, "page.transactions.detail.title"), Transaction: a.transactionDetail(c, txn),
		RiverUI: riverUIPrefix, Payload: payload,
	}
	if jobID, err := strconv.ParseInt(c.QueryParam("retried"), 10, 64); err == nil && jobID == props.Transaction.JobID {
		props.RetriedJobID = jobID
	}

	return txn, props, nil
}

// transactionDetail describes a transaction and its ledger for the page,
// with each error in the page's language.
func (a *App) transactionDetail(c echo.Context, txn store.Transaction) views.TransactionsDetail {
	detail := views.TransactionsDetail{
		ID: txn.ID.String(), EHRName: txn.EHRName, Mode: txn.Mode, Status: txn.Status,
		MappingVersion: txn.MappingVersion, EHRPatientID: txn.EHRPatientID, Language: txn.Language,
		Attempts: txn.Attempts, LastError: txn.LastError, CreatedAt: txn.CreatedAt, UpdatedAt: txn.UpdatedAt,
		CompletedAt: txn.CompletedAt,
		Retryable:   slices.Contains(retryableStatuses, txn.Status) && !txn.PayloadPurged() && !txn.PayloadUnreadable(),
		InProgress:  txn.Status == ehr.StatusQueued || txn.Status == ehr.StatusProcessing,
	}
	if txn.JobID != nil {
		detail.JobID = *txn.JobID
	}
	detail.Endpoints = a.transactionLedgerRows(c, txn.Endpoints)
	for _, row := range detail.Endpoints {
		if row.ErrorMessage != "" {
			detail.LastErrorEndpoint, detail.LastErrorMessage = row.Endpoint, row.ErrorMessage
			break
		}
	}

	return detail
}
