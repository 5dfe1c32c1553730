package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestRiverUIIsMounted(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	_, jobID := cancelledJob(t, env)

	page := env.do(t, http.MethodGet, "/admin/riverui/", "", "", map[string]string{"Accept": "text/html"})
	if page.status != http.StatusOK || !strings.Contains(page.raw, `"/admin/riverui/api"`) {
		t.Errorf("River UI page: status %d, want 200 with its API under /admin/riverui/api: %s", page.status, page.raw)
	}
	jobs := env.get(t, "/admin/riverui/api/jobs?state=cancelled")
	if jobs.status != http.StatusOK || !strings.Contains(jobs.raw, `"id":`+strconv.FormatInt(jobID, 10)) {
		t.Errorf("River UI job list: status %d, want 200 with job %d: %s", jobs.status, jobID, jobs.raw)
	}
}

func TestBrowserOpensRiverUIFromQueuePage(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	cancelledJob(t, env)
	tab := newBrowser(t)

	ctx := withTimeout(t, tab, 20*time.Second)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/queue"),
		chromedp.Click(`a[href="/admin/riverui/"]`),
		chromedp.WaitVisible(`#root`),
		chromedp.Navigate(env.server.URL+"/admin/riverui/jobs?state=cancelled"),
	)
	if err != nil {
		t.Fatalf("opening River UI from the queue page: %v", err)
	}
	found, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.innerText.includes("deliver_transaction")`))
	if err != nil || !found {
		t.Errorf("River UI does not list the cancelled delivery job (%v)", err)
	}
}
