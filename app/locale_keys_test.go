package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ehrbridge/app/locale"
	"ehrbridge/ehr"
	"ehrbridge/locales"
)

// Patterns that find the codes this package answers with.
var (
	apiErrorCodePattern   = regexp.MustCompile(`newAPIError\(http\.\w+, "(\w+)"|Code: "(\w+)", Cause`)
	fieldErrorCodePattern = regexp.MustCompile(`ehr\.FieldError\{Field: [^,]+, Code: "(\w+)"`)
)

func loadCatalog(t *testing.T) *locale.Catalog {
	t.Helper()
	catalog, err := locale.Load(locales.Files)
	if err != nil {
		t.Fatalf("loading locales: %v", err)
	}

	return catalog
}

func TestEveryAnswerCodeHasMessage(t *testing.T) {
	t.Parallel()
	catalog := loadCatalog(t)
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatalf("listing sources: %v", err)
	}

	wanted := map[string]bool{"error.internal": true, "error.validation_failed": true}
	for _, path := range sources {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		source, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("reading %s: %v", path, err)
		}
		for _, match := range apiErrorCodePattern.FindAllStringSubmatch(string(source), -1) {
			wanted["error."+match[1]+match[2]] = true
		}
		for _, match := range fieldErrorCodePattern.FindAllStringSubmatch(string(source), -1) {
			wanted["field."+match[1]] = true
		}
	}
	for _, code := range ehr.CallErrorCodes() {
		wanted["ehr_call."+code] = true
	}
	for _, code := range append(append(ehr.FieldErrorCodes(), ehr.MappingErrorCodes()...), ehr.PlanErrorCodes()...) {
		wanted["field."+code] = true
	}
	for _, status := range []string{ehr.StatusSucceeded, ehr.StatusPartiallyFailed, ehr.StatusFailed} {
		wanted["send."+status] = true
	}

	if len(wanted) < 30 {
		t.Fatalf("found only %d codes; the source patterns no longer match", len(wanted))
	}
	for key := range wanted {
		if !catalog.HasKey(key) {
			t.Errorf("locale key %s is missing", key)
		}
	}
}
