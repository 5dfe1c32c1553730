package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowserAdminCreatesAPIKeyAndSignsOut(t *testing.T) {
	t.Parallel()
	env := setupProduction(t, nil)
	env.createUser(t, "ada", "admin")
	tab := newBrowser(t)

	ctx := withTimeout(t, tab, 30*time.Second)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/api-keys"),
		chromedp.WaitVisible(`#login-form`),
		chromedp.SendKeys(`#login-username`, "ada"),
		chromedp.SendKeys(`#login-password`, testPassword),
		chromedp.Click(`#login-form button[type="submit"]`),
		chromedp.WaitVisible(`#api-key-create-form`),
	)
	if err != nil {
		t.Fatalf("signing in through the form: %v", err)
	}
	signedInAs, err := chromedp.Run(ctx, chromedp.Text(`#signed-in-as`))
	if err != nil || signedInAs != "Signed in as ada (admin)" {
		t.Errorf("account bar %q (%v), want Signed in as ada (admin)", signedInAs, err)
	}

	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#api-key-name`, "browser check"),
		chromedp.Click(`#api-key-scope-read`),
		chromedp.Click(`#api-key-create`),
		chromedp.WaitVisible(`#new-api-key`),
	)
	if err != nil {
		t.Fatalf("creating a key: %v", err)
	}
	key, err := chromedp.Run(ctx, chromedp.Text(`#new-api-key`))
	if err != nil || !strings.HasPrefix(key, "ehrb_") {
		t.Fatalf("shown key %q (%v), want a key starting with ehrb_", key, err)
	}
	notice, err := chromedp.Run(ctx, chromedp.Text(`#api-key-created`))
	if err != nil || !strings.Contains(notice, "it will not be shown again") {
		t.Errorf("notice %q (%v), want the warning that the key is shown once", notice, err)
	}
	if r := env.do(t, http.MethodGet, "/ehr/transactions", "", "", bearer(key)); r.status != http.StatusOK {
		t.Errorf("GET /ehr/transactions with the key from the page: status %d, want 200", r.status)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(env.server.URL+"/api-keys"),
		chromedp.WaitVisible(`#api-key-create-form`),
	)
	if err != nil {
		t.Fatalf("opening the API keys page again: %v", err)
	}
	shownAgain, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body.innerText.includes(`+"`"+key+"`"+`)`))
	if err != nil || shownAgain {
		t.Errorf("key shown again on a later visit: %v (%v)", shownAgain, err)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(`#sign-out`),
		chromedp.WaitVisible(`#login-form`),
	)
	if err != nil {
		t.Fatalf("signing out: %v", err)
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.HasPrefix(location, env.server.URL+"/login") {
		t.Errorf("page after signing out %q (%v), want the sign-in page", location, err)
	}
	signedOut, err := chromedp.Run(ctx, chromedp.Text(`main`))
	if err != nil || !strings.Contains(signedOut, "You have signed out.") {
		t.Errorf("sign-in page after signing out lacks the notice (%v)", err)
	}
}
