package app_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestConfigBrowserPreviewMarksBrokenRule(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	tab := newBrowser(t)
	ctx := withTimeout(t, tab, 30*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/mappings/Athena"),
		chromedp.WaitVisible(`#mapping-form`),
		chromedp.Clear(`#ep-0-rule-1-target`),
		chromedp.Click(`button[value="preview"]`),
	)
	if err != nil {
		t.Fatalf("previewing a rule without EHR field: %v", err)
	}
	message, err := configWaitText(ctx, `#ep-0-rule-1-target-error`, "EHR field of rule 2")
	if err != nil {
		t.Fatalf("the EHR field input shows no inline error: %v; it reads %q", err, message)
	}
	invalid, err := chromedp.Run(ctx, chromedp.AttributeValue(`#ep-0-rule-1-target`, "aria-invalid"))
	if err != nil || invalid.Value != "true" {
		t.Errorf("aria-invalid of the EHR field input is %q (%v), want true", invalid.Value, err)
	}

	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#ep-0-rule-1-target`, "PATIENT_LAST_NAME"),
		chromedp.Click(`button[value="preview"]`),
	)
	if err != nil {
		t.Fatalf("previewing the fixed rule: %v", err)
	}
	if preview, err := configWaitText(ctx, `#mapping-preview`, "Call 1 of the send."); err != nil {
		t.Fatalf("the preview of the fixed draft did not appear: %v; it reads %q", err, preview)
	}
	if _, err := configWaitFor(ctx, chromedp.Evaluate[string](`document.querySelector('#ep-0-rule-1-target-error') ? 'marked' : 'clear'`), "clear"); err != nil {
		t.Errorf("the inline error stayed after the rule was fixed: %v", err)
	}
}
