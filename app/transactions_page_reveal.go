package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/views"
)

// handleTransactionRevealPage is POST /transactions/:id/reveal: the detail
// page with the transaction's full payload, for users with the reveal
// permission. Each reveal is written to the audit log. A purged payload
// shows the page with its note and status 410.
func (a *App) handleTransactionRevealPage(c echo.Context) error {
	txn, props, err := a.loadTransactionPage(c)
	if err != nil {
		return err
	}
	// The language switch returns to the detail page, because this route
	// takes POST only and a change of language must not reveal again.
	props.Return = "/transactions/" + txn.ID.String()
	if props.Payload.Purged {
		return render(c, http.StatusGone, views.TransactionDetail(props))
	}
	if props.Payload.Unreadable {
		return render(c, http.StatusConflict, views.TransactionDetail(props))
	}

	revealed, err := indentJSON(txn.Payload)
	if err != nil {
		return internalError(fmt.Errorf("transaction %s: %w", txn.ID, err))
	}
	props.Payload.Revealed = revealed
	a.audit(c, auditPayloadReveal, txn.ID.String(), nil)

	return render(c, http.StatusOK, views.TransactionDetail(props))
}

// maskedPagePayload describes a transaction's payload for the detail page:
// masked, or purged.
func maskedPagePayload(txn store.Transaction) (views.TransactionPayload, error) {
	if txn.PayloadPurged() {
		return views.TransactionPayload{Purged: true, PurgedAt: txn.PayloadPurgedAt}, nil
	}
	if txn.PayloadUnreadable() {
		return views.TransactionPayload{Unreadable: true}, nil
	}
	masked, err := maskPayload(txn.Payload)
	if err != nil {
		return views.TransactionPayload{}, fmt.Errorf("transaction %s: %w", txn.ID, err)
	}
	indented, err := indentJSON(masked)
	if err != nil {
		return views.TransactionPayload{}, fmt.Errorf("transaction %s: %w", txn.ID, err)
	}

	return views.TransactionPayload{Masked: indented}, nil
}

// indentJSON lays a JSON document out over lines for reading.
func indentJSON(raw []byte) (string, error) {
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return "", fmt.Errorf("indenting payload: %w", err)
	}

	return out.String(), nil
}
