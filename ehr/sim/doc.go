// Package sim is an in-memory EHR simulator for development and tests only.
// It keeps everything in memory, accepts any client secret and must never
// stand in for a real EHR.
//
// The handler serves three API shapes, each under its own prefix:
//
//   - /athena: athenahealth-like. An OAuth 2 client-credentials token
//     endpoint, form-encoded bodies, patient creation at
//     POST /v1/{practiceId}/patients and data calls below
//     /v1/{practiceId}/chart/{patientId}/ and
//     /v1/{practiceId}/patients/{patientId}/.
//   - /unity: Allscripts Unity-like. GetToken and a single MagicJson
//     endpoint whose Action names the operation. SavePatient creates a
//     patient and other Save actions store data on one.
//   - /rest: plain JSON over REST without authentication. POST /patients
//     creates a patient and /patients/{patientId}/{section} stores data.
//
// Every accepted data call is recorded on its patient and can be read back
// through the Simulator methods or the JSON inspection routes (/inbox,
// /stats). A data call that repeats the Idempotency-Key header of an
// earlier call with a 2xx response gets the same response again and is not
// recorded twice. Faults (/faults, AddFault) make matching calls fail with a status,
// a dropped connection, a hung request or extra latency, so clients can be
// tested against the failures real EHRs show.
package sim
