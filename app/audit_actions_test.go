package app

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// auditConstantPattern finds the audited action constants of audit.go.
var auditConstantPattern = regexp.MustCompile(`(?m)^\s+audit\w+\s+= "([a-z_.]+)"$`)

func TestAuditPageOffersEveryAction(t *testing.T) {
	t.Parallel()
	source, err := os.ReadFile("audit.go")
	if err != nil {
		t.Fatalf("reading audit.go: %v", err)
	}
	constants := auditConstantPattern.FindAllStringSubmatch(string(source), -1)
	if len(constants) < 10 {
		t.Fatalf("found only %d action constants in audit.go; the pattern no longer matches", len(constants))
	}

	catalog := loadCatalog(t)
	for _, match := range constants {
		action := match[1]
		if !slices.Contains(auditActions, action) {
			t.Errorf("action %s is missing from auditActions, so the audit page cannot filter by it", action)
		}
		if !catalog.HasKey("audit.action." + action) {
			t.Errorf("action %s has no label: locale key audit.action.%s is missing", action, action)
		}
	}
	if len(auditActions) != len(constants) {
		t.Errorf("auditActions lists %d actions, audit.go defines %d", len(auditActions), len(constants))
	}
}
