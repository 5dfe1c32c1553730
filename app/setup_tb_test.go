package app_test

import "testing"

// setupTB starts ehrbridge like setup, keeping only log lines at warn or
// above, so a long fuzz run does not fill memory with request logs.
func setupTB(tb testing.TB, extraEnv map[string]string) *testEnv {
	tb.Helper()
	env := map[string]string{"LOG_LEVEL": "warn"}
	for key, value := range extraEnv {
		env[key] = value
	}

	return setup(tb, env)
}
