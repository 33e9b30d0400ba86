package services

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium starts a headless Debian chromium (AUTHD_TEST_CHROMIUM, default
// /usr/bin/chromium) with a fresh profile and returns a browser tab's
// context, bounded by timeout; both end with the test. Without chromium
// the test skips, or fails under AUTHD_TEST_REQUIRE_SERVICES=1 (.ci/run
// must install it: apt-get install chromium).
func Chromium(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	bin, err := exec.LookPath(Env("AUTHD_TEST_CHROMIUM", "/usr/bin/chromium"))
	if err != nil {
		Unreachable(t, "chromium (apt-get install chromium)", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // root in CI containers; the pages are our own
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(tab); err != nil { // starts the browser
		Unreachable(t, "chromium at "+bin, err)
	}
	return tab
}
