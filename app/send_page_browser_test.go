package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
)

// fillMinimalPatient types a synthetic patient's required fields except
// the first name, which the caller chooses.
func fillMinimalPatient(email string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.SendKeys("#lastName", "Okonkwo-Lind"),
		chromedp.SendKeys("#age", "41"),
		chromedp.SetValue("#gender", "female"),
		chromedp.SendKeys("#contact-email", email),
		chromedp.SendKeys("#contact-phone", "555-010-3388"),
	)
}

// checkContains reports each wanted text missing from got.
func checkContains(t *testing.T, what, got string, wanted ...string) {
	t.Helper()
	for _, text := range wanted {
		if !strings.Contains(got, text) {
			t.Errorf("%s lacks %q; it reads %q", what, text, got)
		}
	}
}

func TestBrowserSendPageSendsPatient(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	tab := newBrowser(t)
	ctx := withTimeout(t, tab, 30*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/send"),
		chromedp.WaitVisible("#firstName"),
		chromedp.SendKeys("#firstName", "Adaeze"),
		fillMinimalPatient("adaeze.ol@example.org"),
		chromedp.SetValue("#ehrName", "Athena"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("send-endpoints").dataset.old = "yes";
			document.getElementById("ehrName").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.WaitNotPresent("#send-endpoints[data-old]"),
		chromedp.WaitVisible("#endpoint-patient_demographics"),
		chromedp.Click(`button[hx-target="#allergies-rows"]`),
		chromedp.WaitVisible(`input[id^="allergies-new-"]`),
		chromedp.SendKeys(`input[id^="allergies-new-"]`, "Latex"),
		chromedp.Click("#allergies-0 ~ button"),
		chromedp.WaitNotPresent("#allergies-0"),
		chromedp.Click("#send-submit"),
		chromedp.WaitVisible("#send-result h2"),
	)
	if err != nil {
		t.Fatalf("sending the patient through the form: %v", err)
	}

	result, err := chromedp.Run(ctx, chromedp.Text("#send-result"))
	if err != nil {
		t.Fatalf("reading the result: %v", err)
	}
	checkContains(t, "the result", result, "succeeded", "patient_demographics", "medical_history", "Athena", "Duration")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("narrowing the window: %v", err)
	}
	// Every Duration and Error of the result lies inside a 390 px window.
	cut, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#send-result th, #send-result td, #send-result dt, #send-result dd")]
		.filter(e => { const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.width === 0; }).length`))
	if err != nil || cut != 0 {
		t.Errorf("at 390 px, %d parts of the result are cut off or hidden (%v)", cut, err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.tagName`))
	if err != nil || focused != "H2" {
		t.Errorf("focus is on %q (%v), want the result heading", focused, err)
	}
}

func TestBrowserSendPageShowsSpanishErrorInline(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	tab := newBrowser(t)
	ctx := withTimeout(t, tab, 30*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/send?lang=es"),
		chromedp.WaitVisible("#lastName"),
		fillMinimalPatient("no-es-un-correo"),
		chromedp.Click("#send-submit"),
		chromedp.WaitVisible("#firstName-error"),
		chromedp.WaitVisible(`#firstName[aria-invalid="true"]`),
	)
	if err != nil {
		t.Fatalf("sending an invalid patient: %v", err)
	}

	for selector, want := range map[string]string{
		"#firstName-error":     "El campo «Nombre» es obligatorio",
		"#contact-email-error": "El campo «Correo electrónico» debe ser una dirección de correo electrónico válida",
	} {
		got, err := chromedp.Run(ctx, chromedp.Text(selector))
		if err != nil || got != want {
			t.Errorf("%s reads %q (%v), want %q", selector, got, err, want)
		}
	}
	kept, err := chromedp.Run(ctx, chromedp.Value("#lastName"))
	if err != nil || kept != "Okonkwo-Lind" {
		t.Errorf("last name after the errors is %q (%v), want the typed value", kept, err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute("role")`))
	if err != nil || focused != "alert" {
		t.Errorf("focus is on role %q (%v), want the error summary", focused, err)
	}
	result, err := chromedp.Run(ctx, chromedp.Text("#send-result"))
	if err != nil || strings.TrimSpace(result) != "" {
		t.Errorf("result region reads %q (%v), want it empty", result, err)
	}
}

func TestBrowserBulkPageChecksAndSendsFile(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	tab := newBrowser(t)
	ctx := withTimeout(t, tab, 30*time.Second)
	file := filepath.Join(t.TempDir(), "patients.csv")
	if err := os.WriteFile(file, []byte(mixedCSV), 0o600); err != nil {
		t.Fatalf("writing the patient file: %v", err)
	}

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/bulk"),
		chromedp.WaitVisible("#bulk-file"),
		chromedp.SetUploadFiles("#bulk-file", []string{file}),
		chromedp.SetValue("#bulk-ehr", "Athena"),
		chromedp.Click("#bulk-check"),
		chromedp.WaitVisible("#bulk-send"),
	)
	if err != nil {
		t.Fatalf("checking the file: %v", err)
	}
	preview, err := chromedp.Run(ctx, chromedp.Text("#bulk-result"))
	if err != nil {
		t.Fatalf("reading the preview: %v", err)
	}
	checkContains(t, "the preview", preview, "Rows: 3. Valid: 2. With errors: 1.", "Email is required")

	if err := chromedp.Do(ctx, chromedp.Click("#bulk-send"), chromedp.WaitVisible("#bulk-progress")); err != nil {
		t.Fatalf("sending the file: %v", err)
	}
	submitted, err := chromedp.Run(ctx, chromedp.Text("#bulk-result"))
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	checkContains(t, "the answer", submitted, "Queued for Athena: 2. Rejected: 1.", "Delivery progress")

	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("[id^=bulk-status-]")].map(e => e.id.slice("bulk-status-".length))`))
	if err != nil || len(ids) != 2 {
		t.Fatalf("the answer has %d row statuses (%v), want 2", len(ids), err)
	}
	for _, id := range ids {
		if err := env.app.Store.SetTransactionStatus(context.Background(), uuid.MustParse(id), "succeeded", ""); err != nil {
			t.Fatalf("setting status: %v", err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#bulk-progress p.notice")); err != nil {
		t.Fatalf("waiting for the progress to end: %v", err)
	}
	badges, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("[id^=bulk-status-]")].map(e => e.textContent)`))
	if err != nil || len(badges) != 2 || badges[0] != "succeeded" || badges[1] != "succeeded" {
		t.Errorf("row statuses after the progress ended read %q (%v), want succeeded twice", badges, err)
	}
}
