package bench

import (
	"context"
	"fmt"
	"io"
)

// Run sends the load that opts describe and returns what it measured.
// Progress lines go to progress. When ctx is cancelled, it stops early
// and returns the figures gathered so far, marked as interrupted. An
// error comes with a report when the e2e scenario's status polls are
// rejected after the sends.
func Run(ctx context.Context, opts Options, progress io.Writer) (Report, error) {
	client := newHTTPClient(opts.Concurrency, opts.RequestTimeout)
	defer client.CloseIdleConnections()
	plan := planScenario(opts)

	fmt.Fprintf(progress, "bench: %s %s with %d workers, %s\n", plan.request.method, plan.request.url, opts.Concurrency, describeStop(opts))
	load := runLoad(ctx, client, plan, opts)
	report := newReport(opts, plan, load)
	if opts.Scenario != ScenarioEndToEnd {
		return report, nil
	}

	if load.interrupted {
		delivery := newDeliveryTracker(client, opts, load.accepted).finish()
		report.Delivery = &delivery
		return report, nil
	}
	fmt.Fprintf(progress, "bench: waiting up to %s for %d accepted sends to become final\n", opts.DeliveryTimeout, len(load.accepted))
	delivery, err := awaitDeliveries(ctx, client, opts, load.accepted)
	report.Delivery = &delivery
	report.Interrupted = ctx.Err() != nil

	return report, err
}

func describeStop(opts Options) string {
	if opts.Count > 0 {
		return fmt.Sprintf("%d requests", opts.Count)
	}

	return "for " + opts.Duration.String()
}
