package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"ehrbridge/app/seal"
	"ehrbridge/ehr/sim"
)

// sealedSampleValues replace the identifying values of the full sample in
// the tests of patient data at rest, so that a search of stored bytes or
// pages finds any plaintext copy.
var sealedSampleValues = map[string]string{
	"Elena":                                "Zzcanaryfirst",
	"Vasquez-Moore":                        "Zzcanarylast",
	"elena.vm@example.org":                 "zzcanarymail@example.org",
	"+1 415 555 0142":                      "+1 415 555 0188",
	"12 Harbor View Rd, Oakland, CA 94607": "Zzcanarystreet 9",
	"Penicillin":                           "Zzcanaryallergy",
	"KP-88412093":                          "ZZCANARYPOLICY",
}

// sealedSampleBody is the full sample with sealedSampleValues, sent to
// ehrName.
func sealedSampleBody(t *testing.T, ehrName string) string {
	t.Helper()
	body := sample(t, "full-en.json")
	for original, canary := range sealedSampleValues {
		if !strings.Contains(body, original) {
			t.Fatalf("sample lacks %q", original)
		}
		body = strings.ReplaceAll(body, original, canary)
	}

	return withEHR(t, body, ehrName)
}

// sealedSampleFound lists the values of sealedSampleValues in text,
// case-insensitively.
func sealedSampleFound(text string) []string {
	lower := strings.ToLower(text)
	var found []string
	for _, canary := range sealedSampleValues {
		if strings.Contains(lower, strings.ToLower(canary)) {
			found = append(found, canary)
		}
	}

	return found
}

// setupProductionWithEHR starts ehrbridge in production mode with its EHR
// systems pointing at a simulator.
func setupProductionWithEHR(t *testing.T, extraEnv map[string]string) *testEnv {
	t.Helper()
	env := setupProduction(t, extraEnv)
	pointSystemsAtSimulator(t, env)

	return env
}

// pointSystemsAtSimulator serves an EHR simulator for a production test,
// which has none, and points Athena and Allscripts at it through the API.
func pointSystemsAtSimulator(t *testing.T, env *testEnv) {
	t.Helper()
	simulator := httptest.NewServer(sim.New(sim.Options{}).Handler())
	t.Cleanup(simulator.Close)
	admin := env.createAPIKey(t, "admin")

	list := env.do(t, http.MethodGet, "/ehr/systems", "", "", bearer(admin))
	systems, _ := list.json["systems"].([]any)
	if list.status != http.StatusOK || len(systems) == 0 {
		t.Fatalf("listing systems: status %d: %s", list.status, list.raw)
	}
	paths := map[string]string{"Athena": "/athena", "Allscripts": "/unity"}
	for _, item := range systems {
		system := item.(map[string]any)
		name, _ := system["name"].(string)
		body := map[string]any{}
		for _, field := range []string{"name", "family", "practiceId", "authKind", "clientId", "secretEnv", "options"} {
			if value, ok := system[field]; ok {
				body[field] = value
			}
		}
		body["baseUrl"] = simulator.URL + paths[name]
		encoded, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		updated := env.do(t, http.MethodPut, "/ehr/systems/"+name, "application/json", string(encoded), bearer(admin))
		if updated.status != http.StatusOK {
			t.Fatalf("pointing %s at the simulator: status %d: %s", name, updated.status, updated.raw)
		}
	}
}

// sendSealedSample sends the sample synchronously with key and returns the
// transaction id.
func sendSealedSample(t *testing.T, env *testEnv, key string) string {
	t.Helper()
	r := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", sealedSampleBody(t, "Athena"), bearer(key))
	id, _ := r.json["transactionId"].(string)
	if r.status != http.StatusOK || id == "" {
		t.Fatalf("sync send: status %d: %s", r.status, r.raw)
	}

	return id
}

// storedColumns reads a transaction's payload and response as PostgreSQL
// holds them.
func storedColumns(t *testing.T, env *testEnv, id string) (payload, response []byte) {
	t.Helper()
	row := env.app.Store.SQL.QueryRow("SELECT payload, response FROM transactions WHERE id = $1", id)
	if err := row.Scan(&payload, &response); err != nil {
		t.Fatalf("reading stored columns of %s: %v", id, err)
	}

	return payload, response
}

// waitForFinalStatus polls a transaction with an API key until its status
// is neither queued nor processing.
func waitForFinalStatus(t *testing.T, env *testEnv, key, id string) response {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last response
	for time.Now().Before(deadline) {
		last = env.do(t, http.MethodGet, "/ehr/transactions/"+id, "", "", bearer(key))
		if status, _ := last.json["status"].(string); status != "" && status != "queued" && status != "processing" {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("transaction %s did not finish: %s", id, last.raw)

	return last
}

func TestStoredPayloadAndResponseAreSealed(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, fastQueue)
	env.startWorkers(t)
	sender, reader := env.createAPIKey(t, "send"), env.createAPIKey(t, "read")
	keyID := env.app.Config.Keyring.CurrentID()

	syncID := sendSealedSample(t, env, sender)
	accepted := env.do(t, http.MethodPost, "/ehr/send-patient-data-async", "application/json",
		sealedSampleBody(t, "Allscripts"), bearer(sender))
	asyncID, _ := accepted.json["transactionId"].(string)
	if accepted.status != http.StatusAccepted || asyncID == "" {
		t.Fatalf("async send: status %d: %s", accepted.status, accepted.raw)
	}
	if final := waitForFinalStatus(t, env, reader, asyncID); final.json["status"] != "succeeded" {
		t.Fatalf("async send ended %v, want succeeded: %s", final.json["status"], final.raw)
	}

	for _, id := range []string{syncID, asyncID} {
		payload, response := storedColumns(t, env, id)
		if found := sealedSampleFound(string(payload)); len(found) > 0 {
			t.Errorf("stored payload of %s contains %v", id, found)
		}
		if got, sealed := seal.KeyID(payload); !sealed || got != keyID {
			t.Errorf("payload of %s sealed with %q (sealed %v), want %q", id, got, sealed, keyID)
		}
		if response == nil {
			continue
		}
		if found := sealedSampleFound(string(response)); len(found) > 0 {
			t.Errorf("stored response of %s contains %v", id, found)
		}
		if got, sealed := seal.KeyID(response); !sealed || got != keyID {
			t.Errorf("response of %s sealed with %q (sealed %v), want %q", id, got, sealed, keyID)
		}
	}
	if _, response := storedColumns(t, env, syncID); response == nil {
		t.Errorf("sync send %s stored no response", syncID)
	}

	var dump string
	err := env.app.Store.DB.Raw("SELECT coalesce(string_agg(encode(coalesce(payload, ''::bytea), 'escape') || encode(coalesce(response, ''::bytea), 'escape'), ' '), '') FROM transactions").
		Scan(&dump).Error
	if err != nil {
		t.Fatalf("reading every stored payload: %v", err)
	}
	if found := sealedSampleFound(dump); len(found) > 0 {
		t.Errorf("transactions table contains %v", found)
	}

	stored, err := env.app.Store.FindTransaction(context.Background(), uuid.MustParse(syncID))
	if err != nil {
		t.Fatalf("FindTransaction: %v", err)
	}
	if !strings.Contains(string(stored.Payload), "Zzcanaryfirst") || !strings.Contains(string(stored.Response), syncID) {
		t.Errorf("store returned payload and response that are not plaintext: %d and %d bytes", len(stored.Payload), len(stored.Response))
	}
}

func TestSyncReplayReadsSealedResponse(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, nil)
	sender := env.createAPIKey(t, "send")
	headers := bearer(sender)
	headers["Idempotency-Key"] = "sealed-replay-1"

	first := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", sealedSampleBody(t, "Athena"), headers)
	replay := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", sealedSampleBody(t, "Athena"), headers)
	if first.status != http.StatusOK || replay.status != http.StatusOK {
		t.Fatalf("statuses %d and %d, want 200 twice: %s", first.status, replay.status, replay.raw)
	}
	if replay.header.Get("Idempotent-Replayed") != "true" || replay.raw != first.raw {
		t.Errorf("replay is not the stored first answer: %s", replay.raw)
	}
}

func TestPayloadCopiedToAnotherRowFailsToOpen(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, nil)
	sender, admin := env.createAPIKey(t, "send"), env.createAPIKey(t, "admin")
	source := sendSealedSample(t, env, sender)
	other := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", minimalPatient("Athena", 7), bearer(sender))
	target, _ := other.json["transactionId"].(string)
	if other.status != http.StatusOK || target == "" {
		t.Fatalf("second send: status %d: %s", other.status, other.raw)
	}

	err := env.app.Store.DB.Exec("UPDATE transactions SET payload = (SELECT payload FROM transactions WHERE id = ?) WHERE id = ?",
		source, target).Error
	if err != nil {
		t.Fatalf("copying the payload: %v", err)
	}

	txn, err := env.app.Store.FindTransaction(context.Background(), uuid.MustParse(target))
	if err != nil || !errors.Is(txn.SealError, seal.ErrTampered) {
		t.Fatalf("FindTransaction of the row with a copied payload: %v, SealError %v; want seal.ErrTampered", err, txn.SealError)
	}
	err = txn.SealError
	if !strings.Contains(err.Error(), target) {
		t.Errorf("error %q does not name transaction %s", err, target)
	}
	if found := sealedSampleFound(err.Error() + string(txn.Payload)); len(found) > 0 {
		t.Errorf("failed open returned patient values %v", found)
	}

	if err := env.app.Store.DB.Exec("UPDATE transactions SET status = 'failed' WHERE id = ?", target).Error; err != nil {
		t.Fatal(err)
	}
	detail := env.do(t, http.MethodGet, "/ehr/transactions/"+target, "", "", bearer(admin))
	if detail.status != http.StatusOK || detail.json["payloadUnreadable"] != true || detail.json["payloadMasked"] != nil || detail.json["status"] != "failed" {
		t.Errorf("detail of the row with a copied payload: %d %s; want 200, payloadUnreadable, no payload, the status kept", detail.status, detail.raw)
	}
	for name, r := range map[string]response{
		"detail": detail,
		"reveal": env.do(t, http.MethodPost, "/ehr/transactions/"+target+"/reveal", "", "", bearer(admin)),
		"retry":  env.do(t, http.MethodPost, "/ehr/retry-transaction/"+target, "", "", bearer(admin)),
	} {
		if name != "detail" && (r.status != http.StatusConflict || r.json["error"] != "payload_unreadable") {
			t.Errorf("%s of the row with a copied payload: %d %s, want 409 payload_unreadable", name, r.status, r.raw)
		}
		if found := sealedSampleFound(r.raw); len(found) > 0 {
			t.Errorf("%s answer contains %v", name, found)
		}
	}
	operator := env.signIn(t, "oscar", "operator")
	page := env.doWith(t, operator, http.MethodGet, "/transactions/"+target, "", "", nil)
	if page.status != http.StatusOK || !strings.Contains(page.raw, `id="payload-unreadable"`) || strings.Contains(page.raw, `id="reveal-payload"`) {
		t.Errorf("detail page of the row with a copied payload: status %d, without the unreadable note or with a reveal button", page.status)
	}
	if found := sealedSampleFound(env.logs.String()); len(found) > 0 {
		t.Errorf("logs contain %v", found)
	}
	if source := env.do(t, http.MethodGet, "/ehr/transactions/"+source, "", "", bearer(admin)); source.status != http.StatusOK {
		t.Errorf("the source row no longer opens: status %d", source.status)
	}
}

func TestDeliveryOfUnreadablePayloadIsCancelled(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, fastQueue)
	sender := env.createAPIKey(t, "send")
	source := sendSealedSample(t, env, sender)
	accepted := env.do(t, http.MethodPost, "/ehr/send-patient-data-async", "application/json", minimalPatient("Athena", 8), bearer(sender))
	target, _ := accepted.json["transactionId"].(string)
	if accepted.status != http.StatusAccepted || target == "" {
		t.Fatalf("async send: %d %s", accepted.status, accepted.raw)
	}
	// The queued row gets a payload sealed for another transaction before
	// any worker runs.
	err := env.app.Store.DB.Exec("UPDATE transactions SET payload = (SELECT payload FROM transactions WHERE id = ?) WHERE id = ?", source, target).Error
	if err != nil {
		t.Fatal(err)
	}

	env.startWorkers(t)
	admin := env.createAPIKey(t, "admin")
	final := waitForDelivery(t, env, admin, target)
	if final.json["status"] != "failed" || !strings.Contains(fmt.Sprint(final.json["lastError"]), "cannot be decrypted") {
		t.Errorf("transaction with an unreadable payload: %s, want failed with the reason", final.raw)
	}
	for _, endpoint := range final.json["endpoints"].([]any) {
		if status := endpoint.(map[string]any)["status"]; status == "succeeded" {
			t.Errorf("an endpoint of an unreadable payload was delivered: %v", endpoint)
		}
	}
}
