package sim

// Patients returns copies of the stored patients of system, or of every
// system when system is "", oldest first.
func (s *Simulator) Patients(system string) []PatientRecord {
	s.mu.Lock()
	defer s.mu.Unlock()

	records := []PatientRecord{}
	for element := s.order.Front(); element != nil; element = element.Next() {
		record := element.Value.(*patientEntry).record
		if system == "" || record.System == system {
			records = append(records, copyRecord(record))
		}
	}

	return records
}

// Patient returns a copy of one stored patient.
func (s *Simulator) Patient(system, patientID string) (PatientRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	element, ok := s.patients[patientKey{system: system, id: patientID}]
	if !ok {
		return PatientRecord{}, false
	}

	return copyRecord(element.Value.(*patientEntry).record), true
}
