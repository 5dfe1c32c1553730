package app_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// configUntranslated finds a locale key of the admin pages left in a page.
var configUntranslated = regexp.MustCompile(`page\.[a-z_]+\.[a-z_]+`)

// configStrayElse finds an "else" that templ wrote as an attribute inside
// a tag, as in <input value="" else>.
var configStrayElse = regexp.MustCompile(`<[a-zA-Z][^<>]*\selse(?:[\s/>=])`)

// configPage is one request to an admin page and what its response must
// and must not contain.
type configPage struct {
	name   string
	path   string
	status int
	want   []string
	forbid []string
}

// checkConfigPage requests a page and checks its status and contents, and
// that no locale key was left untranslated.
func checkConfigPage(t *testing.T, env *testEnv, page configPage) response {
	t.Helper()
	r := env.get(t, page.path)
	if r.status != page.status {
		t.Errorf("%s: GET %s status %d, want %d", page.name, page.path, r.status, page.status)
	}
	for _, want := range page.want {
		if !strings.Contains(r.raw, want) {
			t.Errorf("%s: GET %s lacks %q", page.name, page.path, want)
		}
	}
	for _, forbid := range page.forbid {
		if strings.Contains(r.raw, forbid) {
			t.Errorf("%s: GET %s contains %q", page.name, page.path, forbid)
		}
	}
	if key := configUntranslated.FindString(r.raw); key != "" {
		t.Errorf("%s: GET %s shows the untranslated key %s", page.name, page.path, key)
	}
	if tag := configStrayElse.FindString(r.raw); tag != "" {
		t.Errorf("%s: GET %s has a stray else attribute in %s", page.name, page.path, tag)
	}

	return r
}

// configSend posts a form to an admin page with the CSRF cookie and token,
// as HTMX when htmx is set, without following redirects.
func configSend(t *testing.T, env *testEnv, path string, form url.Values, htmx bool) response {
	t.Helper()
	token := configCSRFToken(t, env)
	body := url.Values{}
	for key, values := range form {
		body[key] = append([]string(nil), values...)
	}
	body.Set("_csrf", token)

	req, err := http.NewRequest(http.MethodPost, env.server.URL+path, strings.NewReader(body.Encode()))
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "ehrbridge_csrf", Value: token})
	if htmx {
		req.Header.Set("HX-Request", "true")
	}

	return configDo(t, req)
}

// configCSRFToken reads the CSRF cookie that a page view sets.
func configCSRFToken(t *testing.T, env *testEnv) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.server.URL+"/mappings", nil)
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	r := configDo(t, req)
	for _, cookie := range (&http.Response{Header: r.header}).Cookies() {
		if cookie.Name == "ehrbridge_csrf" && cookie.Value != "" {
			return cookie.Value
		}
	}
	t.Fatalf("GET /mappings set no CSRF cookie (status %d)", r.status)

	return ""
}

// configDo sends req and returns the response without following redirects.
func configDo(t *testing.T, req *http.Request) response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading answer of %s %s: %v", req.Method, req.URL.Path, err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.json)

	return out
}

// Patterns that read the fields of a rendered form, as a browser submits
// them: inputs with their values (checkboxes only when checked), and the
// selected option of each select.
var (
	configInputTag      = regexp.MustCompile(`<input[^>]*>`)
	configSelectTag     = regexp.MustCompile(`(?s)<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	configSelectedValue = regexp.MustCompile(`<option value="([^"]*)" selected`)
	configAttribute     = regexp.MustCompile(`\s([a-zA-Z_-]+)(?:="([^"]*)")?`)
)

// configFormValues reads the fields of the form with id formID from a page.
func configFormValues(t *testing.T, page, formID string) url.Values {
	t.Helper()
	start := strings.Index(page, `<form id="`+formID+`"`)
	if start < 0 {
		t.Fatalf("page has no form %s", formID)
	}
	form := page[start:]
	form = form[:strings.Index(form, "</form>")]

	values := url.Values{}
	for _, tag := range configInputTag.FindAllString(form, -1) {
		attrs := map[string]string{}
		for _, match := range configAttribute.FindAllStringSubmatch(tag, -1) {
			attrs[match[1]] = html.UnescapeString(match[2])
		}
		_, checked := attrs["checked"]
		if attrs["name"] == "" || attrs["type"] == "checkbox" && !checked {
			continue
		}
		values.Add(attrs["name"], attrs["value"])
	}
	for _, match := range configSelectTag.FindAllStringSubmatch(form, -1) {
		selected := configSelectedValue.FindStringSubmatch(match[2])
		if selected != nil {
			values.Set(match[1], html.UnescapeString(selected[1]))
		}
	}

	return values
}

// configEditorForm loads the mapping editor of ehrName and returns its
// form as a browser would submit it.
func configEditorForm(t *testing.T, env *testEnv, ehrName string) url.Values {
	t.Helper()
	r := env.get(t, "/mappings/"+ehrName)
	if r.status != http.StatusOK {
		t.Fatalf("GET /mappings/%s status %d", ehrName, r.status)
	}

	return configFormValues(t, r.raw, "mapping-form")
}

// configCurrentMapping reads the current mapping of ehrName from the API.
func configCurrentMapping(t *testing.T, env *testEnv, ehrName string) (version int, config map[string]any) {
	t.Helper()
	r := env.get(t, "/ehr/mapping/"+ehrName)
	if r.status != http.StatusOK {
		t.Fatalf("GET /ehr/mapping/%s status %d: %s", ehrName, r.status, r.raw)
	}
	config, _ = r.json["mappingConfig"].(map[string]any)

	return int(r.json["version"].(float64)), config
}

// configAuditActions lists the audit log's entries of one action.
func configAuditActions(t *testing.T, env *testEnv, action string) []map[string]any {
	t.Helper()
	r := env.get(t, "/ehr/audit-log?action="+url.QueryEscape(action))
	if r.status != http.StatusOK {
		t.Fatalf("GET /ehr/audit-log status %d: %s", r.status, r.raw)
	}
	var body struct {
		Entries []map[string]any `json:"entries"`
	}
	if err := json.Unmarshal([]byte(r.raw), &body); err != nil {
		t.Fatalf("decoding audit log: %v", err)
	}

	return body.Entries
}

// configJSON encodes a decoded JSON value again, for comparisons.
func configJSON(t *testing.T, value any) string {
	t.Helper()
	encoded, err := json.Marshal(value)
	if err != nil {
		t.Fatalf("encoding %v: %v", value, err)
	}

	return string(encoded)
}
