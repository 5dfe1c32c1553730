package app_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

func TestConcurrentAcceptsAllStored(t *testing.T) {
	env := setup(t, nil)
	body := sample(t, "full-en.json")
	const sends = 60
	ids := make([]string, sends)
	statuses := make([]int, sends)

	var wg sync.WaitGroup
	for i := range sends {
		wg.Go(func() {
			headers := map[string]string{}
			if i%10 == 0 {
				// Pairs of sends share a key: 0 and 1, 10 and 11, ...
				headers["Idempotency-Key"] = fmt.Sprintf("pair-%d", i)
			} else if i%10 == 1 {
				headers["Idempotency-Key"] = fmt.Sprintf("pair-%d", i-1)
			}
			r := env.do(t, http.MethodPost, "/ehr/send-patient-data-async", "application/json", body, headers)
			statuses[i] = r.status
			ids[i], _ = r.json["transactionId"].(string)
		})
	}
	wg.Wait()

	for i, status := range statuses {
		if status != http.StatusAccepted || ids[i] == "" {
			t.Errorf("send %d: status %d, transaction %q", i, status, ids[i])
		}
	}
	for i := 0; i < sends; i += 10 {
		if ids[i] != ids[i+1] {
			t.Errorf("sends %d and %d share a key but got transactions %s and %s", i, i+1, ids[i], ids[i+1])
		}
	}

	var stored, jobs int64
	ctx := context.Background()
	env.app.Store.DB.WithContext(ctx).Raw("SELECT count(*) FROM transactions").Scan(&stored)
	env.app.Store.DB.WithContext(ctx).Raw("SELECT count(*) FROM river_job WHERE kind = 'deliver_transaction'").Scan(&jobs)
	if want := int64(sends - sends/10); stored != want || jobs != want {
		t.Errorf("%d transactions and %d jobs stored, want %d of each", stored, jobs, want)
	}

	scrape := env.get(t, "/metrics").raw
	groups := metricLine(t, scrape, "ehrbridge_accept_group_size_count", "")
	single := metricLine(t, scrape, "ehrbridge_accept_group_size_bucket", `le="1"`)
	t.Logf("%s groups committed, %s of them alone", groups, single)
	if groups == single {
		t.Errorf("every one of %s groups held one send: concurrent sends were not grouped", groups)
	}
}
