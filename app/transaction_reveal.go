package app

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
)

type revealBody struct {
	TransactionID string          `json:"transactionId"`
	Payload       json.RawMessage `json:"payload"`
}

// handleRevealTransaction is POST /ehr/transactions/:id/reveal: the full
// stored request of a transaction, for callers with the reveal permission.
// Every reveal is written to the audit log. A purged payload returns 410
// Gone.
func (a *App) handleRevealTransaction(c echo.Context) error {
	txn, err := a.findRevealableTransaction(c)
	if err != nil {
		return err
	}
	a.audit(c, auditPayloadReveal, txn.ID.String(), nil)

	return c.JSON(http.StatusOK, revealBody{TransactionID: txn.ID.String(), Payload: txn.Payload})
}

// findRevealableTransaction loads the transaction named by the :id
// parameter: 404 when there is none, 410 when its payload was purged.
func (a *App) findRevealableTransaction(c echo.Context) (store.Transaction, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return store.Transaction{}, newAPIError(http.StatusNotFound, "transaction_not_found", c.Param("id"))
	}
	txn, err := a.Store.FindTransaction(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Transaction{}, newAPIError(http.StatusNotFound, "transaction_not_found", id.String())
	}
	if err != nil {
		return store.Transaction{}, storeFailure(err)
	}
	if txn.PayloadPurged() {
		return store.Transaction{}, newAPIError(http.StatusGone, "payload_purged", id.String())
	}
	if txn.PayloadUnreadable() {
		a.Logger.ErrorContext(c.Request().Context(), "payload cannot be decrypted", "transaction_id", id, "error", txn.SealError)
		return store.Transaction{}, newAPIError(http.StatusConflict, "payload_unreadable", id.String())
	}

	return txn, nil
}
