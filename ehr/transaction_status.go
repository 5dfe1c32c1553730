package ehr

// Transaction statuses.
const (
	StatusQueued          = "queued"
	StatusProcessing      = "processing"
	StatusSucceeded       = "succeeded"
	StatusPartiallyFailed = "partially_failed"
	StatusFailed          = "failed"
	StatusDead            = "dead"
)

// TransactionStatuses lists every transaction status.
var TransactionStatuses = []string{
	StatusQueued, StatusProcessing, StatusSucceeded, StatusPartiallyFailed, StatusFailed, StatusDead,
}

// SummarizeOutcomes gives the status of a transaction whose endpoints ended
// with these outcomes: succeeded when all succeeded, failed when none did,
// partially_failed otherwise.
func SummarizeOutcomes(outcomes []Outcome) string {
	succeeded := 0
	for _, outcome := range outcomes {
		if outcome.Status == EndpointSucceeded {
			succeeded++
		}
	}

	switch {
	case succeeded == len(outcomes):
		return StatusSucceeded
	case succeeded == 0:
		return StatusFailed
	default:
		return StatusPartiallyFailed
	}
}
