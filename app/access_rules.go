package app

import "ehrbridge/app/auth"

// anyMethod marks a rule that covers every method of a path.
const anyMethod = "*"

// accessRules names the permission of every route, by "METHOD path" as
// registered on the router. A route missing here gets 403 for everyone,
// and a test fails for it.
var accessRules = map[string]auth.Permission{
	"GET /metrics":                   auth.Read,
	"GET /health":                    auth.Public,
	"GET /favicon.ico":               auth.Public,
	"GET " + staticRoutePrefix + "*": auth.Public,
	"GET /login":                     auth.Public,
	"POST /login":                    auth.Public,
	"GET /lang/:code":                auth.Public,
	"POST /logout":                   auth.SignedIn,
	anyMethod + " /sim/*":            auth.Public, // development only: the simulated EHR

	// JSON API.
	"POST /ehr/send-patient-data":                  auth.Send,
	"POST /ehr/send-patient-data-async":            auth.Send,
	"POST /ehr/send-patient-data/bulk":             auth.Send,
	"POST /ehr/retry-transaction/:transactionId":   auth.Send,
	"GET /ehr/queue/status":                        auth.Read,
	"GET /ehr/queue/jobs":                          auth.Read,
	"POST /ehr/queue/retry/:jobId":                 auth.Send,
	"GET /ehr/mapping/:ehrName":                    auth.Read,
	"GET /ehr/mapping/:ehrName/versions":           auth.Read,
	"GET /ehr/mapping/:ehrName/versions/:version":  auth.Read,
	"POST /ehr/save-mapping":                       auth.Admin,
	"POST /ehr/mapping/:ehrName/rollback/:version": auth.Admin,
	"GET /ehr/transactions":                        auth.Read,
	"GET /ehr/transactions/:id":                    auth.Read,
	"POST /ehr/transactions/:id/reveal":            auth.Reveal,
	"GET /ehr/systems":                             auth.Read,
	"POST /ehr/systems":                            auth.Admin,
	"PUT /ehr/systems/:name":                       auth.Admin,
	"GET /ehr/audit-log":                           auth.Admin,
	"GET /ehr/cache/stats":                         auth.Read,
	"POST /ehr/cache/invalidate/:ehrName":          auth.Admin,
	"POST /ehr/cache/clear":                        auth.Admin,
	"GET /ehr/api-keys":                            auth.Admin,
	"POST /ehr/api-keys":                           auth.Admin,
	"DELETE /ehr/api-keys/:keyId":                  auth.Admin,

	// Admin UI.
	"GET /":                                     auth.Read,
	"GET /dashboard":                            auth.Read,
	"GET /dashboard/live":                       auth.Read,
	"GET /send":                                 auth.Send,
	"POST /send":                                auth.Send,
	"GET /send/rows/:field":                     auth.Send,
	"GET /send/endpoints":                       auth.Send,
	"GET /bulk":                                 auth.Send,
	"POST /bulk/preview":                        auth.Send,
	"POST /bulk/submit":                         auth.Send,
	"GET /bulk/progress":                        auth.Send,
	"GET /transactions":                         auth.Read,
	"GET /transactions/:id":                     auth.Read,
	"GET /transactions/:id/live":                auth.Read,
	"POST /transactions/:id/retry":              auth.Send,
	"POST /transactions/:id/reveal":             auth.Reveal,
	"GET /queue":                                auth.Read,
	"POST /queue/jobs/:id/retry":                auth.Send,
	anyMethod + " " + riverUIPrefix:             auth.Admin,
	anyMethod + " " + riverUIPrefix + "/*":      auth.Admin,
	"GET /cache":                                auth.Read,
	"POST /cache/invalidate":                    auth.Admin,
	"POST /cache/clear":                         auth.Admin,
	"GET /simulator":                            auth.Admin,
	"POST /simulator/reset":                     auth.Admin,
	"POST /simulator/faults/clear":              auth.Admin,
	"GET /mappings":                             auth.Read,
	"GET /mappings/:ehrName":                    auth.Admin,
	"POST /mappings/:ehrName":                   auth.Admin,
	"POST /mappings/:ehrName/draft":             auth.Admin,
	"POST /mappings/:ehrName/preview":           auth.Admin,
	"GET /mappings/:ehrName/versions":           auth.Read,
	"POST /mappings/:ehrName/rollback/:version": auth.Admin,
	"GET /systems":                              auth.Read,
	"GET /systems/new":                          auth.Admin,
	"POST /systems":                             auth.Admin,
	"GET /systems/:name":                        auth.Admin,
	"POST /systems/:name":                       auth.Admin,
	"POST /systems/:name/test":                  auth.Admin,
	"GET /users":                                auth.Admin,
	"POST /users":                               auth.Admin,
	"POST /users/:id":                           auth.Admin,
	"GET /api-keys":                             auth.Admin,
	"POST /api-keys":                            auth.Admin,
	"POST /api-keys/:keyId/revoke":              auth.Admin,
	"GET /audit":                                auth.Admin,
}

// routePermission returns the rule of a registered route and whether one
// exists.
func routePermission(method, path string) (auth.Permission, bool) {
	if perm, ok := accessRules[method+" "+path]; ok {
		return perm, true
	}
	perm, ok := accessRules[anyMethod+" "+path]

	return perm, ok
}
