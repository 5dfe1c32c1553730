package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ehrbridge/ehr/sim"
)

func TestBrowserRetriesFailedTransaction(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	id := env.sendPartiallyFailed(t)
	env.app.Simulator.ClearFaults()
	// A slow response keeps the retry running long enough to watch the page
	// refresh itself.
	slow := sim.Fault{System: sim.SystemAthena, Match: "familyhistory", Mode: sim.ModeLatency, LatencyMs: 1500, Times: 1}
	if _, err := env.app.Simulator.AddFault(slow); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	tab := newBrowser(t)

	ctx := withTimeout(t, tab, 20*time.Second)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/transactions/"+id),
		chromedp.WaitVisible(`#transaction-status .status-partially_failed`),
		chromedp.Click(`#retry-transaction`),
		chromedp.WaitVisible(`p.notice.ok`),
	)
	if err != nil {
		t.Fatalf("opening the transaction and clicking Retry: %v", err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Text(`p.notice.ok`))
	if err != nil || !strings.HasPrefix(notice, "Retry queued as job ") {
		t.Errorf("notice after Retry %q (%v), want it to name the new job", notice, err)
	}

	// The page refreshes its status every 2 seconds until the retry ends,
	// without reloading: the marker set on this document survives.
	ctx = withTimeout(t, tab, 20*time.Second)
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(`#transaction-live[hx-trigger="every 2s"]`),
		chromedp.Evaluate[chromedp.Void](`window.retryPageMarker = "kept"`),
		chromedp.WaitVisible(`#transaction-status .status-succeeded`),
	)
	if err != nil {
		t.Fatalf("waiting for the page to show the retry succeeded: %v", err)
	}
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.retryPageMarker || "reloaded"`))
	if err != nil || marker != "kept" {
		t.Errorf("page marker %q (%v): the status arrived by a reload, not by the HTMX refresh", marker, err)
	}
	ledger, err := chromedp.Run(ctx, chromedp.Text(`#endpoint-family_history`))
	if err != nil || !strings.Contains(ledger, "succeeded") {
		t.Errorf("family_history row after the retry %q (%v), want succeeded", ledger, err)
	}
	retryButtons, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#retry-transaction").length`))
	if err != nil || retryButtons != 0 {
		t.Errorf("page shows %d Retry buttons (%v) after success, want none", retryButtons, err)
	}
}
