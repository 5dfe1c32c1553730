package sim

import (
	"net/http"
	"strconv"
)

// firstPatientNumber is the number of each system's first patient id.
const firstPatientNumber = 1000

type patientKey struct {
	system string
	id     string
}

// patientEntry is a stored patient with the idempotency keys whose
// responses belong to it, so that evicting the patient frees them too.
type patientEntry struct {
	record          PatientRecord
	idempotencyKeys []string
}

// storeFunc stores a call while the simulator lock is held. It returns the
// response and the patient that owns the call, or nil when it stored
// nothing.
type storeFunc func(call Call) (response, *patientEntry)

// deliver runs store under the lock and returns its response. When the
// call's idempotency key already has a 2xx response on its system, deliver
// returns that response again and store does not run. Doing both under one
// lock keeps concurrent retries with the same key from recording twice.
func (s *Simulator) deliver(call Call, store storeFunc) response {
	s.mu.Lock()
	defer s.mu.Unlock()

	key := call.IdempotencyKey
	scopedKey := call.System + " " + key
	if key != "" {
		if stored, ok := s.responses[scopedKey]; ok {
			s.stats.Replayed++
			return stored
		}
	}

	result, owner := store(call)
	if key != "" && owner != nil && result.succeeded() {
		s.responses[scopedKey] = result
		owner.idempotencyKeys = append(owner.idempotencyKeys, scopedKey)
	}

	return result
}

// createPatientLocked adds a patient to call.System with call as its first
// call and evicts the oldest patient beyond maxPatients.
func (s *Simulator) createPatientLocked(call Call) *patientEntry {
	system := call.System
	number := firstPatientNumber + s.patientsCreated[system]
	s.patientsCreated[system]++

	id := strconv.Itoa(number)
	if system == SystemREST {
		id = "r-" + id
	}
	entry := &patientEntry{record: PatientRecord{System: system, PatientID: id, CreatedAt: call.ReceivedAt}}
	s.patients[patientKey{system: system, id: id}] = s.order.PushBack(entry)

	call.PatientID = id
	s.appendCallLocked(entry, call)

	for s.order.Len() > s.maxPatients {
		s.evictOldestLocked()
	}

	return entry
}

// recordCallLocked appends call to its patient, or returns nil when the
// patient is unknown.
func (s *Simulator) recordCallLocked(call Call) *patientEntry {
	element, ok := s.patients[patientKey{system: call.System, id: call.PatientID}]
	if !ok {
		return nil
	}
	entry := element.Value.(*patientEntry)
	s.appendCallLocked(entry, call)

	return entry
}

func (s *Simulator) appendCallLocked(entry *patientEntry, call Call) {
	call.Reference = strconv.Itoa(s.nextReference)
	s.nextReference++
	entry.record.Calls = append(entry.record.Calls, call)
	s.stats.Received++

	s.logger.Debug("call recorded", "system", call.System, "patient_id", call.PatientID, "endpoint", call.Endpoint)
}

// recordOnPatientLocked records call on its patient and returns the
// response that success builds from the call's reference, or a 404 response
// when the patient is unknown.
func (s *Simulator) recordOnPatientLocked(call Call, success func(reference string) response) (response, *patientEntry) {
	entry := s.recordCallLocked(call)
	if entry == nil {
		return errorResponse(http.StatusNotFound, "patient not found"), nil
	}
	calls := entry.record.Calls

	return success(calls[len(calls)-1].Reference), entry
}

func (s *Simulator) evictOldestLocked() {
	oldest := s.order.Front()
	entry := oldest.Value.(*patientEntry)
	s.order.Remove(oldest)
	delete(s.patients, patientKey{system: entry.record.System, id: entry.record.PatientID})
	for _, key := range entry.idempotencyKeys {
		delete(s.responses, key)
	}

	s.logger.Debug("patient evicted", "system", entry.record.System, "patient_id", entry.record.PatientID)
}
