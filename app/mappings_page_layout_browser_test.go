package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// configLayoutOverflow measures, in CSS pixels, how far the page and the
// rule tables reach past their boxes, and how far the first rule's remove
// button lies past the right edge of its table's scroll box.
const configLayoutOverflow = `(() => {
	const root = document.documentElement;
	const wraps = [...document.querySelectorAll('#mapping-editor .table-wrap')];
	const table = Math.max(0, ...wraps.map(w => w.scrollWidth - w.clientWidth));
	const wrap = wraps[0].getBoundingClientRect();
	const remove = document.querySelector('#op-remove-rule-0-0').getBoundingClientRect();
	return [root.scrollWidth - root.clientWidth, table, remove.right - wrap.right];
})()`

func TestConfigBrowserMappingEditorFitsTheScreen(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	widths := []struct {
		name           string
		width          int64
		tableMayScroll bool
	}{
		{name: "desktop", width: 1280},
		{name: "phone", width: 390, tableMayScroll: true},
	}
	for _, w := range widths {
		for _, ehrName := range []string{"Athena", "Allscripts"} {
			t.Run(fmt.Sprintf("%s %s", ehrName, w.name), func(t *testing.T) {
				t.Parallel()
				tab := newBrowser(t)
				ctx := withTimeout(t, tab, 30*time.Second)
				err := chromedp.Do(ctx,
					chromedp.EmulateViewport(w.width, 900),
					chromedp.Navigate(env.server.URL+"/mappings/"+ehrName),
					chromedp.WaitVisible(`#mapping-preview table`),
				)
				if err != nil {
					t.Fatalf("%s at %d px: opening the editor: %v", ehrName, w.width, err)
				}
				configSaveScreenshot(t, ctx, fmt.Sprintf("mapping-%s-%d.png", ehrName, w.width))

				overflow, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](configLayoutOverflow))
				if err != nil {
					t.Fatalf("%s at %d px: measuring: %v", ehrName, w.width, err)
				}
				if overflow[0] > 0 {
					t.Errorf("%s at %d px: the page scrolls sideways by %.0f px", ehrName, w.width, overflow[0])
				}
				if !w.tableMayScroll && overflow[1] > 0 {
					t.Errorf("%s at %d px: a rule table is %.0f px wider than its card", ehrName, w.width, overflow[1])
				}
				if overflow[2] > 0 {
					t.Errorf("%s at %d px: the first rule's actions lie %.0f px out of sight", ehrName, w.width, overflow[2])
				}
			})
		}
	}
}

// configSaveScreenshot writes a PNG of the whole page to the folder that
// CONFIG_SCREENSHOT_DIR names, when it is set, for a person to look at.
func configSaveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("CONFIG_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("taking a screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), shot, 0o600); err != nil {
		t.Errorf("writing screenshot %s: %v", name, err)
	}
}
