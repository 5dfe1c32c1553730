package app_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestQueuedSendKeepsAnswerNumbers(t *testing.T) {
	env := setup(t, fastQueue)
	env.startWorkers(t)
	saved := env.postJSON(t, "/ehr/save-mapping", `{"ehrName":"Athena","mappingConfig":{"patient":{"firstName":"PATIENT_FIRST_NAME","lastName":"PATIENT_LAST_NAME","answers.score":"SCORE"}}}`)
	if saved.status >= 300 {
		t.Fatalf("saving the mapping: %d %s", saved.status, saved.raw)
	}

	accepted := env.sendAsync(t, `{"ehrName":"Athena","patientData":{"firstName":"Ana","lastName":"Ruiz","age":40,"gender":"female","contact":{"email":"ana@example.org","phone":"555-0100"},"answers":{"score":12345678901234567890}}}`)
	env.waitForStatus(t, accepted.json["transactionId"].(string), "succeeded")

	inbox := env.get(t, "/sim/inbox")
	if inbox.status != http.StatusOK {
		t.Fatalf("inbox: %d", inbox.status)
	}
	if !strings.Contains(inbox.raw, "12345678901234567890") {
		t.Errorf("the EHR did not receive the answer as written: %s", inbox.raw)
	}
}
