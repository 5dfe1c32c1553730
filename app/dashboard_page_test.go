package app_test

import (
	"net/http"
	"testing"
)

func TestDashboardPages(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	failed := env.sendPartiallyFailed(t)
	succeeded := env.sendSucceeded(t, "Allscripts", 1)

	cases := []pageCase{
		{
			name: "dashboard in English", path: "/", status: http.StatusOK,
			expected: []string{
				"<h1>Dashboard</h1>", "Sends today", "Sends today by EHR", "Allscripts", "Athena",
				`<td id="today-total">2</td>`, "partially failed", "Waiting", "Oldest waiting", "Completed in the last minute",
				"Hit rate", "In process", "Database", "Latest failures", `href="/transactions/` + failed + `"`,
				`hx-get="/dashboard/live"`, `hx-trigger="every 5s"`, `hx-swap="outerHTML"`,
			},
			forbidden: append([]string{`href="/transactions/` + succeeded + `"`}, patientDataInFullSample...),
		},
		{
			name: "dashboard in Spanish", path: inSpanish("/"), status: http.StatusOK,
			expected: []string{
				`<html lang="es">`, "<h1>Panel</h1>", "Envíos de hoy", "Envíos de hoy por EHR", "fallida en parte",
				"En espera", "Tasa de aciertos", "Últimos fallos", `href="/transactions/` + failed + `"`,
			},
			forbidden: patientDataInFullSample,
		},
		{
			name: "refreshing region alone", path: "/dashboard/live", status: http.StatusOK,
			expected:  []string{`<div id="dashboard-live"`, `hx-trigger="every 5s"`, "Latest failures"},
			forbidden: []string{"<html", "<h1>"},
		},
		{
			name: "refreshing region in Spanish", path: inSpanish("/dashboard/live"), status: http.StatusOK,
			expected:  []string{`<div id="dashboard-live"`, "Últimos fallos"},
			forbidden: []string{"<html", "Latest failures"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}
}

func TestDashboardWithoutSends(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	checkPage(t, env, pageCase{
		name: "empty dashboard", path: "/", status: http.StatusOK,
		expected: []string{
			`<td id="today-total">0</td>`, "No sends yet today.", "No failed, partially failed or dead transactions.",
			"none waiting",
		},
	})
}
