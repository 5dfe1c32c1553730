package app_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newBrowser starts headless Chromium for one test and returns its tab's
// context. Without Chromium the test fails under CI=true and is skipped
// elsewhere. Run each step with withTimeout so a broken page fails fast.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required for browser tests under CI=true: %v", err)
		}
		t.Skipf("Chromium not installed: %v", err)
	}

	options := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(), options...)
	tab, cancelTab := chromedp.NewContext(allocator)
	t.Cleanup(func() {
		cancelTab()
		cancelAllocator()
	})
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}

	return tab
}

// withTimeout bounds one group of browser steps.
func withTimeout(t *testing.T, tab context.Context, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, d)
	t.Cleanup(cancel)

	return ctx
}

func TestBrowserShowsDashboardInSpanish(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	tab := newBrowser(t)
	ctx := withTimeout(t, tab, 20*time.Second)

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/"),
		chromedp.WaitVisible("main h1"),
		chromedp.Click(`a[hreflang="es"]`),
		chromedp.WaitVisible(`html[lang="es"]`),
	)
	if err != nil {
		t.Fatalf("switching to Spanish: %v", err)
	}
	link, err := chromedp.Run(ctx, chromedp.Text(`header nav a[href="/transactions"]`))
	if err != nil {
		t.Fatalf("reading the navigation: %v", err)
	}
	if link != "Transacciones" {
		t.Errorf("navigation link %q, want Transacciones", link)
	}
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil || lang != "es" {
		t.Errorf("document language %q (%v), want es after the switch", lang, err)
	}
}
