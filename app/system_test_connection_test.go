package app_test

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// configClosedPortURL returns the URL of a local port nothing listens on.
func configClosedPortURL(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("reserving a port: %v", err)
	}
	address := listener.Addr().String()
	_ = listener.Close()

	return "http://" + address
}

func TestConfigSystemTestConnection(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	closed := configClosedPortURL(t)
	for _, system := range []url.Values{
		{"name": {"ClosedPort"}, "family": {"rest"}, "baseUrl": {closed}, "authKind": {"bearer"}},
		{"name": {"SimREST"}, "family": {"rest"}, "baseUrl": {"/sim/rest"}},
		{"name": {"NoClient"}, "family": {"athena"}, "baseUrl": {"/sim/athena"}, "clientId": {""}},
	} {
		if r := configSend(t, env, "/systems", system, false); r.status != http.StatusSeeOther {
			t.Fatalf("creating %s: status %d", system.Get("name"), r.status)
		}
	}

	tests := []struct {
		name   string
		path   string
		want   []string
		forbid []string
	}{
		{name: "athena on the simulator", path: "/systems/Athena/test",
			want: []string{"The connection test passed.", `<span class="badge ok">yes</span>`, `<span class="badge ok">accepted</span>`}},
		{name: "unity on the simulator", path: "/systems/Allscripts/test",
			want: []string{"The connection test passed.", `<span class="badge ok">accepted</span>`}},
		{name: "rest on the simulator", path: "/systems/SimREST/test",
			want: []string{"The connection test passed.", "not used by this system"}},
		{name: "closed port", path: "/systems/ClosedPort/test",
			want:   []string{`<span class="badge bad">no</span>`, "The connection to the EHR failed.", "EHR refused the connection", "not tested"},
			forbid: []string{"passed", strings.TrimPrefix(closed, "http://"), "dial tcp"}},
		{name: "credentials refused", path: "/systems/NoClient/test",
			want:   []string{`<span class="badge ok">yes</span>`, `<span class="badge bad">refused</span>`, "Authentication with the EHR failed."},
			forbid: []string{"passed"}},
		{name: "closed port in Spanish", path: "/systems/ClosedPort/test?lang=es",
			want: []string{"Accesible", `<span class="badge bad">no</span>`, "Detalle:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := configSend(t, env, tt.path, nil, true)
			if r.status != http.StatusOK || strings.Contains(r.raw, "<html") {
				t.Fatalf("%s: status %d, want 200 with the result alone", tt.name, r.status)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.raw, want) {
					t.Errorf("%s: result lacks %q: %s", tt.name, want, r.raw)
				}
			}
			for _, forbid := range tt.forbid {
				if strings.Contains(r.raw, forbid) {
					t.Errorf("%s: result contains %q", tt.name, forbid)
				}
			}
			if key := configUntranslated.FindString(r.raw); key != "" {
				t.Errorf("%s: result shows the untranslated key %s", tt.name, key)
			}
		})
	}

	full := configSend(t, env, "/systems/Athena/test", nil, false)
	if full.status != http.StatusOK || !strings.Contains(full.raw, `<form id="system-form"`) || !strings.Contains(full.raw, "The connection test passed.") {
		t.Errorf("test without JavaScript: status %d, want the settings page with the result", full.status)
	}
	if r := configSend(t, env, "/systems/Nowhere/test", nil, true); r.status != http.StatusNotFound {
		t.Errorf("test of an unknown system: status %d, want 404", r.status)
	}
	if patients := env.app.Simulator.Patients(""); len(patients) != 0 {
		t.Errorf("connection tests created %d patients in the simulator, want none", len(patients))
	}
}
