package app_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// configWaitText waits until the text of the element sel contains want,
// and returns that text. Chromium's polling helpers evaluate code that the
// admin UI's Content-Security-Policy forbids, so this polls from Go.
func configWaitText(ctx context.Context, sel, want string) (string, error) {
	return configWaitFor(ctx, chromedp.TextContent(sel), want)
}

// configWaitFor runs read until its result contains want, and returns the
// last result. A failed read is tried again, since HTMX may replace the
// element between finding it and reading it.
func configWaitFor(ctx context.Context, read chromedp.Action[string], want string) (string, error) {
	for {
		text, err := chromedp.Run(ctx, read)
		if err == nil && strings.Contains(text, want) {
			return text, nil
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = ctx.Err()
			}
			return text, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// configSendAthena sends the full synthetic sample to Athena through the
// API and returns the mapping version it used and the fields of the
// patient-identifying call the simulator received.
func configSendAthena(t *testing.T, env *testEnv) (float64, map[string]string) {
	t.Helper()
	before := len(env.app.Simulator.Patients("athena"))
	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if r.status != http.StatusOK {
		t.Fatalf("send: status %d: %s", r.status, r.raw)
	}
	patients := env.app.Simulator.Patients("athena")
	if len(patients) != before+1 {
		t.Fatalf("simulator holds %d athena patients after the send, want %d", len(patients), before+1)
	}
	for _, patient := range patients {
		if patient.PatientID == r.json["ehrPatientId"] {
			return r.json["mappingVersion"].(float64), patient.Calls[0].Fields
		}
	}
	t.Fatalf("simulator has no patient %v", r.json["ehrPatientId"])

	return 0, nil
}

func TestConfigBrowserEditPreviewSaveRollback(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	tab := newBrowser(t)
	ctx := withTimeout(t, tab, 60*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/mappings/Athena"),
		chromedp.WaitVisible(`#mapping-form`),
		chromedp.Click(`button[value="add-rule:0"]`),
		chromedp.WaitVisible(`#ep-0-rule-9-source`),
		chromedp.SetValue(`#ep-0-rule-9-source`, "bloodType"),
		chromedp.SendKeys(`#ep-0-rule-9-target`, "BLOOD_TYPE_DEMO"),
		chromedp.Click(`#mapping-comment`),
	)
	if err != nil {
		t.Fatalf("adding a rule: %v", err)
	}
	if preview, err := configWaitText(ctx, `#mapping-preview`, "BLOOD_TYPE_DEMO"); err != nil {
		t.Fatalf("the preview did not follow the change: %v; it reads %q", err, preview)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(`#ep-0-rule-9-target`, "BLOOD_GROUP_DEMO"),
		chromedp.Click(`button[value="preview"]`),
	)
	if err != nil {
		t.Fatalf("asking for a preview: %v", err)
	}
	if preview, err := configWaitText(ctx, `#mapping-preview`, "BLOOD_GROUP_DEMO"); err != nil {
		t.Fatalf("the preview button did not update the preview: %v; it reads %q", err, preview)
	}
	if os.Getenv("CONFIG_SCREENSHOT") != "" {
		if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80)); err == nil {
			_ = os.WriteFile(os.Getenv("CONFIG_SCREENSHOT"), shot, 0o600)
		}
	}

	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#mapping-comment`, "blood type in demographics"),
		chromedp.Click(`button[value="save"]`),
		chromedp.WaitVisible(`p.notice.ok`),
	)
	if err != nil {
		t.Fatalf("saving: %v", err)
	}
	if notice, _ := chromedp.Run(ctx, chromedp.Text(`p.notice.ok`)); !strings.Contains(notice, "Version 2 was saved") {
		t.Errorf("notice after save %q, want version 2 saved", notice)
	}

	version, fields := configSendAthena(t, env)
	if version != 2 || fields["BLOOD_GROUP_DEMO"] != "A-" {
		t.Errorf("send after save used version %v with BLOOD_GROUP_DEMO %q, want version 2 with A-", version, fields["BLOOD_GROUP_DEMO"])
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/mappings/Athena/versions"),
		chromedp.Click(`form[action="/mappings/Athena/rollback/1"] button`),
		chromedp.WaitVisible(`#version-3`),
	)
	if err != nil {
		t.Fatalf("rolling back: %v", err)
	}
	if notice, _ := chromedp.Run(ctx, chromedp.Text(`p.notice.ok`)); !strings.Contains(notice, "Version 3 restores version 1") {
		t.Errorf("notice after rollback %q, want version 3 restoring version 1", notice)
	}

	version, fields = configSendAthena(t, env)
	if _, sent := fields["BLOOD_GROUP_DEMO"]; version != 3 || sent {
		t.Errorf("send after rollback used version %v and sent BLOOD_GROUP_DEMO: %v, want version 3 without it", version, sent)
	}
}

func TestConfigBrowserRemoveRuleAndTestConnection(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	tab := newBrowser(t)
	ctx := withTimeout(t, tab, 40*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/mappings/Athena?lang=es"),
		chromedp.WaitVisible(`#ep-0-rule-8-target`),
		chromedp.Click(`button[value="remove-rule:0:8"]`),
		chromedp.WaitNotPresent(`#ep-0-rule-8-target`),
		chromedp.Click(`button[value="down-rule:0:0"]`),
	)
	if err != nil {
		t.Fatalf("editing rules: %v", err)
	}
	if target, err := configWaitFor(ctx, chromedp.Value(`#ep-0-rule-0-target`), "PATIENT_LAST_NAME"); err != nil {
		t.Errorf("first rule after moving the first one down %q (%v), want PATIENT_LAST_NAME", target, err)
	}
	if count, err := chromedp.Run(ctx, chromedp.Value(`input[name="ep.0.rules"]`)); err != nil || count != "8" {
		t.Errorf("rule count of the first endpoint %q (%v), want 8 after removing one", count, err)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/systems/Athena"),
		chromedp.Click(`#system-check-heading ~ form button`),
	)
	if err != nil {
		t.Fatalf("testing the connection: %v", err)
	}
	if result, err := configWaitText(ctx, `#system-check-result`, "passed"); err != nil {
		t.Errorf("connection test result %q (%v), want passed", result, err)
	}
}
