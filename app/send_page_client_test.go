package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// sendPageClient is a client of the admin pages that keeps its cookies
// and the CSRF token of the first page it loaded, as a browser does.
type sendPageClient struct {
	env    *testEnv
	client *http.Client
	csrf   string
}

var (
	csrfInputPattern    = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	untranslatedPattern = regexp.MustCompile(`page\.[a-z_]+\.[a-z_]+`)
)

// newSendPageClient loads /send to get the CSRF cookie and token.
func newSendPageClient(t *testing.T, env *testEnv) *sendPageClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("creating cookie jar: %v", err)
	}
	pageClient := &sendPageClient{env: env, client: &http.Client{Jar: jar}}
	page := pageClient.do(t, http.MethodGet, "/send", "", nil, nil)
	match := csrfInputPattern.FindStringSubmatch(page.raw)
	if match == nil {
		t.Fatalf("GET /send has no CSRF token (status %d)", page.status)
	}
	pageClient.csrf = match[1]

	return pageClient
}

// do sends one request with the client's cookies.
func (s *sendPageClient) do(t *testing.T, method, path, contentType string, body []byte, headers map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.env.server.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for key, value := range headers {
		req.Header.Set(key, value)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading answer of %s %s: %v", method, path, err)
	}

	return response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
}

func (s *sendPageClient) get(t *testing.T, path string) response {
	t.Helper()

	return s.do(t, http.MethodGet, path, "", nil, nil)
}

// postForm posts an URL-encoded form with the client's CSRF token.
func (s *sendPageClient) postForm(t *testing.T, path string, form url.Values, headers map[string]string) response {
	t.Helper()
	withToken := url.Values{"_csrf": {s.csrf}}
	for key, values := range form {
		withToken[key] = values
	}

	return s.do(t, http.MethodPost, path, "application/x-www-form-urlencoded", []byte(withToken.Encode()), headers)
}

// postFile posts a multipart form with a file named filename (none when
// filename is empty) and the client's CSRF token.
func (s *sendPageClient) postFile(t *testing.T, path string, fields map[string]string, filename, content string, headers map[string]string) response {
	t.Helper()
	var body bytes.Buffer
	writer := multipart.NewWriter(&body)
	if err := writer.WriteField("_csrf", s.csrf); err != nil {
		t.Fatalf("writing the CSRF token: %v", err)
	}
	for key, value := range fields {
		if err := writer.WriteField(key, value); err != nil {
			t.Fatalf("writing field %s: %v", key, err)
		}
	}
	if filename != "" {
		part, err := writer.CreateFormFile("file", filename)
		if err != nil {
			t.Fatalf("creating file part: %v", err)
		}
		if _, err := io.WriteString(part, content); err != nil {
			t.Fatalf("writing file part: %v", err)
		}
	}
	if err := writer.Close(); err != nil {
		t.Fatalf("closing multipart body: %v", err)
	}

	return s.do(t, http.MethodPost, path, writer.FormDataContentType(), body.Bytes(), headers)
}

// sendFormValues turns a send request sample into the fields the send
// form posts: nested objects as dotted names, lists as repeated fields.
func sendFormValues(t *testing.T, name string) url.Values {
	t.Helper()
	var request struct {
		EHRName     string         `json:"ehrName"`
		PatientData map[string]any `json:"patientData"`
	}
	if err := json.Unmarshal([]byte(sample(t, name)), &request); err != nil {
		t.Fatalf("decoding sample %s: %v", name, err)
	}
	form := url.Values{"ehrName": {request.EHRName}}
	flattenFormValues(form, "", request.PatientData)

	return form
}

func flattenFormValues(form url.Values, prefix string, object map[string]any) {
	for key, value := range object {
		switch typed := value.(type) {
		case map[string]any:
			flattenFormValues(form, prefix+key+".", typed)
		case []any:
			for _, item := range typed {
				form.Add(prefix+key, fmt.Sprint(item))
			}
		default:
			form.Set(prefix+key, fmt.Sprint(typed))
		}
	}
}

// checkPageText reports each wanted substring that is missing and each
// forbidden one that is present, and any untranslated locale key.
func checkPageText(t *testing.T, name string, r response, wanted, forbidden []string) {
	t.Helper()
	for _, text := range wanted {
		if !strings.Contains(r.raw, text) {
			t.Errorf("%s: answer lacks %q", name, text)
		}
	}
	for _, text := range forbidden {
		if strings.Contains(r.raw, text) {
			t.Errorf("%s: answer contains %q", name, text)
		}
	}
	if keys := untranslatedPattern.FindAllString(r.raw, -1); len(keys) > 0 {
		sort.Strings(keys)
		t.Errorf("%s: answer shows untranslated keys %v", name, keys)
	}
}
