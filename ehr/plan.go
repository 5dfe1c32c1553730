package ehr

import "strings"

// Codes PlanDelivery reports.
const (
	planCodeUnknownEndpoint   = "unknown_endpoint"
	planCodeDuplicateItem     = "duplicate_item"
	planCodePatientIDRequired = "patient_id_required"
	planCodeNothingToSend     = "nothing_to_send"
)

// Field paths of the send request that PlanDelivery errors point to.
const (
	planFieldTargets     = "targetEndpoints"
	planFieldPatientData = "patientData"
)

// PlanErrorCodes returns every FieldError code that PlanDelivery reports, so
// each can be given a locale message.
func PlanErrorCodes() []string {
	return []string{planCodeUnknownEndpoint, planCodeDuplicateItem, planCodePatientIDRequired, planCodeNothingToSend}
}

// PlannedEndpoint is one endpoint of a plan.
type PlannedEndpoint struct {
	Endpoint Endpoint
	// Position is the endpoint's index in Plan.Endpoints, 0 for the first.
	Position int
	// DependsOnIdentity is set on every other endpoint when the identity
	// endpoint is planned: they need the patient id it returns.
	DependsOnIdentity bool
}

// Plan lists the endpoints one send calls, the identity endpoint first and
// the rest in config order.
type Plan struct {
	Endpoints []PlannedEndpoint
	// IdentityIndex is the identity endpoint's index in Endpoints, or -1
	// when it is not planned.
	IdentityIndex int
}

// PlanDelivery chooses and orders the endpoints of cfg to call for p. With
// no targets, it plans every endpoint that has a value for p. With targets,
// it plans exactly the endpoints they name, even those with no value, which
// are then sent with no fields.
//
// It reports an unknown or repeated target and a plan with nothing to send.
// It also rejects a plan with an endpoint that needs the EHR's patient id
// when the identity endpoint is not planned and p has no
// identifiers.ehrPatientId, because the EHR patient to write to is never
// guessed. An endpoint needs the id when its path has {patientId}. It also
// needs it when it is called by action alone in a config with an identity
// endpoint, because such calls carry the id in the body.
//
// cfg is expected to have passed Validate. Of several identity endpoints,
// only the first is treated as one.
func PlanDelivery(cfg Config, p *Patient, targets []string) (Plan, FieldErrors) {
	none := Plan{IdentityIndex: -1}

	chosen, errs := chooseEndpoints(cfg, p, targets)
	if len(errs) > 0 {
		return none, errs
	}

	plan := orderPlan(cfg, chosen)
	if len(plan.Endpoints) == 0 {
		return none, FieldErrors{{Field: planFieldPatientData, Code: planCodeNothingToSend}}
	}
	if plan.IdentityIndex < 0 && plan.needsPatientID(cfg) && !hasEHRPatientID(p) {
		return none, FieldErrors{{Field: planFieldTargets, Code: planCodePatientIDRequired}}
	}

	return plan, nil
}

// chooseEndpoints marks, by config index, the endpoints the send calls.
func chooseEndpoints(cfg Config, p *Patient, targets []string) ([]bool, FieldErrors) {
	chosen := make([]bool, len(cfg.Endpoints))
	if len(targets) == 0 {
		for i, endpoint := range cfg.Endpoints {
			chosen[i] = endpoint.HasValues(p)
		}
		return chosen, nil
	}

	var errs FieldErrors
	for i, name := range targets {
		at := mappingIndexPath(planFieldTargets, i)
		index := endpointIndex(cfg, name)
		switch {
		case index < 0:
			errs = append(errs, FieldError{Field: at, Code: planCodeUnknownEndpoint})
		case chosen[index]:
			errs = append(errs, FieldError{Field: at, Code: planCodeDuplicateItem})
		default:
			chosen[index] = true
		}
	}

	return chosen, errs
}

func endpointIndex(cfg Config, name string) int {
	for i, endpoint := range cfg.Endpoints {
		if endpoint.Name == name {
			return i
		}
	}

	return -1
}

// orderPlan puts the chosen identity endpoint first and the other chosen
// endpoints after it in config order.
func orderPlan(cfg Config, chosen []bool) Plan {
	plan := Plan{IdentityIndex: -1}
	identity := identityIndex(cfg)
	if identity >= 0 && chosen[identity] {
		plan.IdentityIndex = 0
		plan.Endpoints = append(plan.Endpoints, PlannedEndpoint{Endpoint: cfg.Endpoints[identity]})
	}

	for i, endpoint := range cfg.Endpoints {
		if !chosen[i] || i == identity {
			continue
		}
		plan.Endpoints = append(plan.Endpoints, PlannedEndpoint{
			Endpoint:          endpoint,
			Position:          len(plan.Endpoints),
			DependsOnIdentity: plan.IdentityIndex >= 0,
		})
	}

	return plan
}

func identityIndex(cfg Config) int {
	for i, endpoint := range cfg.Endpoints {
		if endpoint.IdentifiesPatient {
			return i
		}
	}

	return -1
}

// needsPatientID reports whether a planned endpoint can only be called with
// the EHR's patient id: its path has {patientId}, or it is named by action
// alone (Unity), which sends the patient id in the request body, while cfg
// has an identity endpoint to take that id from.
func (plan Plan) needsPatientID(cfg Config) bool {
	_, hasIdentity := cfg.IdentityEndpoint()
	for _, planned := range plan.Endpoints {
		endpoint := planned.Endpoint
		if PathNeedsPatientID(endpoint.Path) {
			return true
		}
		if hasIdentity && endpoint.Path == "" && !endpoint.IdentifiesPatient {
			return true
		}
	}

	return false
}

func hasEHRPatientID(p *Patient) bool {
	return p != nil && strings.TrimSpace(p.Identifiers.EHRPatientID) != ""
}
