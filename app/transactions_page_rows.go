package app

import (
	"ehrbridge/app/store"
	"ehrbridge/views"
)

// toTransactionsRows turns store list rows into page rows, which carry no
// patient data.
func toTransactionsRows(rows []store.TransactionSummary) []views.TransactionsRow {
	out := make([]views.TransactionsRow, len(rows))
	for i, row := range rows {
		out[i] = views.TransactionsRow{
			ID: row.ID.String(), EHRName: row.EHRName, Mode: row.Mode, Status: row.Status,
			Attempts: row.Attempts, EndpointsTotal: row.EndpointsTotal, EndpointsDone: row.EndpointsDone,
			CreatedAt: row.CreatedAt,
		}
	}

	return out
}
