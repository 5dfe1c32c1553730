package app

import (
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// transactionLedgerRows describes the ledger rows for the detail page. A
// row that did not succeed and has an error code gets that code's message
// in the page's language; the English reason stays as technical detail.
func (a *App) transactionLedgerRows(c echo.Context, endpoints []store.TransactionEndpoint) []views.TransactionsLedgerRow {
	tag := a.requestLanguage(c)
	rows := make([]views.TransactionsLedgerRow, len(endpoints))
	for i, e := range endpoints {
		row := views.TransactionsLedgerRow{
			Endpoint: e.Endpoint, IdentifiesPatient: e.IdentifiesPatient, Status: e.Status,
			EHRReference: e.EHRReference, Attempts: e.Attempts, DurationMS: e.DurationMS,
			ErrorCode: e.ErrorCode, ErrorReason: e.ErrorReason,
		}
		if e.HTTPStatus != nil {
			row.HTTPStatus = *e.HTTPStatus
		}
		if e.ErrorCode != "" && e.Status != ehr.EndpointSucceeded {
			row.ErrorMessage = a.callErrorMessage(tag, &ehr.CallError{Code: e.ErrorCode, HTTPStatus: row.HTTPStatus})
		}
		rows[i] = row
	}

	return rows
}
