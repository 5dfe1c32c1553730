package locale

import (
	"slices"
	"strings"
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/locales"
)

func readRealFile(t *testing.T, name string) messageFile {
	t.Helper()

	file, err := readMessageFile(locales.Files, name)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}

	return file
}

func TestLocaleFilesHaveSameKeys(t *testing.T) {
	t.Parallel()

	english, spanish := readRealFile(t, "en.json"), readRealFile(t, "es.json")
	for _, key := range english.keys {
		if _, ok := spanish.messages[key]; !ok {
			t.Errorf("key %q of en.json is missing from es.json", key)
		}
	}
	for _, key := range spanish.keys {
		if _, ok := english.messages[key]; !ok {
			t.Errorf("key %q of es.json is missing from en.json", key)
		}
	}
}

func TestLocaleFilesUseSameVerbs(t *testing.T) {
	t.Parallel()

	english, spanish := readRealFile(t, "en.json"), readRealFile(t, "es.json")
	for _, key := range english.keys {
		englishVerbs, err := formatVerbs(english.messages[key])
		if err != nil {
			t.Errorf("en.json key %q: %v", key, err)
		}
		spanishVerbs, err := formatVerbs(spanish.messages[key])
		if err != nil {
			t.Errorf("es.json key %q: %v", key, err)
		}
		if !slices.Equal(englishVerbs, spanishVerbs) {
			t.Errorf("key %q uses verbs %v in en.json but %v in es.json", key, englishVerbs, spanishVerbs)
		}
	}
}

func TestLocaleFilesSorted(t *testing.T) {
	t.Parallel()

	for _, name := range []string{"en.json", "es.json"} {
		keys := readRealFile(t, name).keys
		if !slices.IsSorted(keys) {
			t.Errorf("%s keys are not sorted", name)
		}
	}
}

func TestLocaleFilesCoverPatientCodes(t *testing.T) {
	t.Parallel()

	catalog := loadRealCatalog(t)
	for _, code := range ehr.FieldErrorCodes() {
		if !catalog.HasKey("field." + code) {
			t.Errorf("code %q has no message key field.%s", code, code)
		}
	}
}

func TestLocaleFieldMessagesStartWithPath(t *testing.T) {
	t.Parallel()

	// FieldMessage puts a capitalized label first when the path is empty,
	// so every field message must begin with the path.
	for _, name := range []string{"en.json", "es.json"} {
		file := readRealFile(t, name)
		for _, key := range file.keys {
			if strings.HasPrefix(key, "field.") && !strings.HasPrefix(file.messages[key], "%[1]s ") {
				t.Errorf("%s key %q does not start with the field path %%[1]s", name, key)
			}
		}
	}
}

func TestLocaleFilesHaveAPIErrors(t *testing.T) {
	t.Parallel()

	catalog := loadRealCatalog(t)
	keys := []string{
		"error.invalid_json", "error.body_not_object", "error.unsupported_media_type",
		"error.validation_failed", "error.unknown_ehr", "error.not_found", "error.internal",
		"error.database_unavailable", "error.body_too_large", "error.method_not_allowed",
		"error.idempotency_conflict", "error.idempotency_in_progress", "error.ehr_failed",
		"error.partial_failure", "error.invalid_query", KeyRequestBody, KeyFieldInvalid,
	}
	for _, key := range keys {
		if !catalog.HasKey(key) {
			t.Errorf("key %q is missing", key)
		}
	}
}
