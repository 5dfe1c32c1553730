package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// revealAuditCount counts the reveal entries of a transaction by actors
// whose name starts with actorPrefix.
func revealAuditCount(t *testing.T, env *testEnv, id, actorPrefix string) int {
	t.Helper()
	var count int
	err := env.app.Store.DB.Raw("SELECT count(*) FROM audit_log WHERE action = 'transaction.payload_reveal' AND target = ? AND actor LIKE ?",
		id, actorPrefix+"%").Scan(&count).Error
	if err != nil {
		t.Fatalf("counting reveal entries: %v", err)
	}

	return count
}

// postWithCSRFCookie posts an empty form with the CSRF token of client's
// cookie, for a user whose pages hold no form to take a token from.
func postWithCSRFCookie(t *testing.T, env *testEnv, client *http.Client, path string) response {
	t.Helper()
	base, err := url.Parse(env.server.URL)
	if err != nil {
		t.Fatal(err)
	}
	// Signing in drops the CSRF cookie; any page view sets a new one.
	env.doWith(t, client, http.MethodGet, "/login", "", "", nil)
	for _, cookie := range client.Jar.Cookies(base) {
		if cookie.Name == "ehrbridge_csrf" {
			form := url.Values{"_csrf": {cookie.Value}}
			return env.doWith(t, client, http.MethodPost, path, "application/x-www-form-urlencoded", form.Encode(), nil)
		}
	}
	t.Fatalf("client has no CSRF cookie for %s", env.server.URL)

	return response{}
}

func TestRevealAPIByScope(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, nil)
	sender, reader, admin := env.createAPIKey(t, "send"), env.createAPIKey(t, "read"), env.createAPIKey(t, "admin")
	id := sendSealedSample(t, env, sender)

	revealed := env.do(t, http.MethodPost, "/ehr/transactions/"+id+"/reveal", "", "", bearer(admin))
	if revealed.status != http.StatusOK {
		t.Fatalf("reveal with an admin key: status %d: %s", revealed.status, revealed.raw)
	}
	if revealed.json["transactionId"] != id {
		t.Errorf("reveal names transaction %v, want %s", revealed.json["transactionId"], id)
	}
	payload, _ := revealed.json["payload"].(map[string]any)
	patient, _ := payload["patientData"].(map[string]any)
	if patient["firstName"] != "Zzcanaryfirst" || patient["age"] != float64(52) {
		t.Errorf("revealed patient %v, want the sent values", patient)
	}
	if got := revealAuditCount(t, env, id, "api_key:"); got != 1 {
		t.Errorf("%d reveal entries by the admin key, want 1", got)
	}

	for name, key := range map[string]string{"read": reader, "send": sender} {
		r := env.do(t, http.MethodPost, "/ehr/transactions/"+id+"/reveal", "", "", bearer(key))
		if r.status != http.StatusForbidden {
			t.Errorf("reveal with a %s key: status %d, want 403", name, r.status)
		}
		if found := sealedSampleFound(r.raw); len(found) > 0 {
			t.Errorf("refused reveal with a %s key shows %v", name, found)
		}
	}
	if got := revealAuditCount(t, env, id, ""); got != 1 {
		t.Errorf("%d reveal entries after refused reveals, want 1", got)
	}

	unknown := env.do(t, http.MethodPost, "/ehr/transactions/0190a000-0000-7000-8000-000000000000/reveal", "", "", bearer(admin))
	if unknown.status != http.StatusNotFound || unknown.json["error"] != "transaction_not_found" {
		t.Errorf("reveal of an unknown id: status %d %s, want 404 transaction_not_found", unknown.status, unknown.raw)
	}
	if invalid := env.do(t, http.MethodPost, "/ehr/transactions/not-an-id/reveal", "", "", bearer(admin)); invalid.status != http.StatusNotFound {
		t.Errorf("reveal of an invalid id: status %d, want 404", invalid.status)
	}
}

func TestTransactionDetailAPIMasksPayload(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, nil)
	sender, reader := env.createAPIKey(t, "send"), env.createAPIKey(t, "read")
	id := sendSealedSample(t, env, sender)

	detail := env.do(t, http.MethodGet, "/ehr/transactions/"+id, "", "", bearer(reader))
	if detail.status != http.StatusOK {
		t.Fatalf("detail: status %d: %s", detail.status, detail.raw)
	}
	if found := sealedSampleFound(detail.raw); len(found) > 0 {
		t.Errorf("detail answer contains %v", found)
	}
	if detail.json["payloadPurged"] != false {
		t.Errorf("payloadPurged is %v, want false", detail.json["payloadPurged"])
	}
	masked, _ := detail.json["payloadMasked"].(map[string]any)
	patient, _ := masked["patientData"].(map[string]any)
	contact, _ := patient["contact"].(map[string]any)
	allergies, _ := patient["allergies"].([]any)
	checks := []struct {
		name     string
		got      any
		expected any
	}{
		{"first name", patient["firstName"], "Z•••"},
		{"age", patient["age"], "•••"},
		{"email", contact["email"], "z•••"},
		{"phone", contact["phone"], "+•••"},
		{"allergy count", len(allergies), 2},
		{"first allergy", allergies[0], "Z•••"},
	}
	for _, check := range checks {
		if check.got != check.expected {
			t.Errorf("masked %s is %v, want %v", check.name, check.got, check.expected)
		}
	}
}

func TestRevealPageByRole(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, nil)
	sender := env.createAPIKey(t, "send")
	id := sendSealedSample(t, env, sender)
	failed := sendSealedSample(t, env, sender)
	if err := env.app.Store.DB.Exec("UPDATE transactions SET status = 'failed' WHERE id = ?", failed).Error; err != nil {
		t.Fatalf("marking %s failed: %v", failed, err)
	}
	detailPath, revealPath := "/transactions/"+id, "/transactions/"+id+"/reveal"

	viewer := env.signIn(t, "viewer1", "viewer")
	viewerPage := env.doWith(t, viewer, http.MethodGet, detailPath, "", "", nil)
	if viewerPage.status != http.StatusOK {
		t.Fatalf("viewer's detail page: status %d", viewerPage.status)
	}
	if found := sealedSampleFound(viewerPage.raw); len(found) > 0 {
		t.Errorf("viewer's detail page shows %v", found)
	}
	for _, expected := range []string{`id="payload-masked"`, "Z•••", "Your role cannot show the full patient data."} {
		if !strings.Contains(viewerPage.raw, expected) {
			t.Errorf("viewer's detail page lacks %q", expected)
		}
	}
	if strings.Contains(viewerPage.raw, `id="reveal-payload"`) {
		t.Error("viewer's detail page offers the reveal button")
	}
	if failedPage := env.doWith(t, viewer, http.MethodGet, "/transactions/"+failed, "", "", nil); strings.Contains(failedPage.raw, `id="retry-transaction"`) {
		t.Error("viewer's page of a failed transaction offers the Retry button")
	}
	refused := postWithCSRFCookie(t, env, viewer, revealPath)
	if refused.status != http.StatusForbidden {
		t.Errorf("viewer's reveal: status %d, want 403", refused.status)
	}
	if found := sealedSampleFound(refused.raw); len(found) > 0 {
		t.Errorf("viewer's refused reveal shows %v", found)
	}
	if got := revealAuditCount(t, env, id, ""); got != 0 {
		t.Errorf("%d reveal entries after the viewer's attempt, want 0", got)
	}

	operator := env.signIn(t, "operator1", "operator")
	operatorPage := env.doWith(t, operator, http.MethodGet, detailPath, "", "", nil)
	if !strings.Contains(operatorPage.raw, `id="reveal-payload"`) || !strings.Contains(operatorPage.raw, "Show full patient data") {
		t.Error("operator's detail page lacks the reveal button")
	}
	if found := sealedSampleFound(operatorPage.raw); len(found) > 0 {
		t.Errorf("operator's detail page shows %v before a reveal", found)
	}
	if failedPage := env.doWith(t, operator, http.MethodGet, "/transactions/"+failed, "", "", nil); !strings.Contains(failedPage.raw, `id="retry-transaction"`) {
		t.Error("operator's page of a failed transaction lacks the Retry button")
	}
	shown := env.postFormAs(t, operator, detailPath, revealPath, url.Values{})
	if shown.status != http.StatusOK {
		t.Fatalf("operator's reveal: status %d", shown.status)
	}
	for _, expected := range []string{`id="payload-full"`, "Zzcanaryfirst", "ZZCANARYPOLICY", "This view is recorded in the audit log."} {
		if !strings.Contains(shown.raw, expected) {
			t.Errorf("operator's revealed page lacks %q", expected)
		}
	}
	if !strings.Contains(shown.raw, `next=%2Ftransactions%2F`+id+`"`) {
		t.Error("the language switch of the revealed page does not return to the detail page")
	}
	if got := revealAuditCount(t, env, id, "user:operator1"); got != 1 {
		t.Errorf("%d reveal entries by operator1, want 1", got)
	}

	admin := env.signIn(t, "admin1", "admin")
	// The same helper as the viewer's refused reveal, so that refusal is not
	// a CSRF failure.
	adminShown := postWithCSRFCookie(t, env, admin, revealPath)
	if adminShown.status != http.StatusOK || !strings.Contains(adminShown.raw, "Zzcanaryfirst") {
		t.Errorf("admin's reveal: status %d, full payload shown %v", adminShown.status, strings.Contains(adminShown.raw, "Zzcanaryfirst"))
	}
	if got := revealAuditCount(t, env, id, "user:admin1"); got != 1 {
		t.Errorf("%d reveal entries by admin1, want 1", got)
	}

	spanish := env.doWith(t, viewer, http.MethodGet, inSpanish(detailPath), "", "", nil)
	if !strings.Contains(spanish.raw, "Datos del paciente") || !strings.Contains(spanish.raw, "Su rol no puede mostrar") {
		t.Error("viewer's detail page in Spanish lacks the translated patient data section")
	}
}

func TestRevealedPayloadIsTheStoredRequest(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, nil)
	sender, admin := env.createAPIKey(t, "send"), env.createAPIKey(t, "admin")
	body := sealedSampleBody(t, "Athena")
	sent := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", body, bearer(sender))
	id, _ := sent.json["transactionId"].(string)
	if sent.status != http.StatusOK {
		t.Fatalf("send: status %d: %s", sent.status, sent.raw)
	}

	revealed := env.do(t, http.MethodPost, "/ehr/transactions/"+id+"/reveal", "", "", bearer(admin))
	var request, answer struct {
		PatientData map[string]any `json:"patientData"`
	}
	if err := json.Unmarshal([]byte(body), &request); err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(revealed.json["payload"])
	if err := json.Unmarshal(payload, &answer); err != nil {
		t.Fatalf("decoding revealed payload: %v", err)
	}
	for _, field := range []string{"firstName", "lastName", "insurancePolicyNumber", "dateOfBirth"} {
		if answer.PatientData[field] != request.PatientData[field] {
			t.Errorf("revealed %s is %v, want %v", field, answer.PatientData[field], request.PatientData[field])
		}
	}
}
