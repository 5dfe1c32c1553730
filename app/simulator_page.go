package app

import (
	"maps"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"ehrbridge/ehr/sim"
	"ehrbridge/views"
)

// simulatorPagePatients is how many of its newest patients the simulator
// page shows per system.
const simulatorPagePatients = 50

// simulatorSystems are the simulated EHR families in page order.
var simulatorSystems = []string{sim.SystemAthena, sim.SystemUnity, sim.SystemREST}

// simulatorDone are the action notices the simulator page accepts in ?done.
var simulatorDone = []string{"reset", "faults_cleared"}

// handleSimulatorPage is GET /simulator: per simulated system, its newest
// synthetic patients with every call received, and the active faults.
// Without the simulator (production) the page does not exist.
func (a *App) handleSimulatorPage(c echo.Context) error {
	if a.Simulator == nil {
		return newAPIError(http.StatusNotFound, "not_found")
	}
	stats := a.Simulator.Stats()
	props := views.SimulatorProps{
		Page: a.page(c, "page.simulator.title"), Received: stats.Received, Replayed: stats.Replayed,
		FaultsFired: stats.FaultsFired, Patients: stats.Patients,
	}
	if done := c.QueryParam("done"); slices.Contains(simulatorDone, done) {
		props.Done = done
	}
	for _, system := range simulatorSystems {
		props.Systems = append(props.Systems, simulatorSystem(system, a.Simulator.Patients(system)))
	}
	for _, fault := range a.Simulator.Faults() {
		props.Faults = append(props.Faults, views.SimulatorFault{
			ID: fault.ID, System: fault.System, Match: fault.Match, Mode: fault.Mode,
			Status: fault.Status, Fired: fault.Fired, Times: fault.Times,
		})
	}

	return render(c, http.StatusOK, views.Simulator(props))
}

// simulatorSystem keeps a system's newest patients, newest first.
func simulatorSystem(name string, records []sim.PatientRecord) views.SimulatorSystem {
	system := views.SimulatorSystem{Name: name, Total: len(records)}
	for i := len(records) - 1; i >= 0 && len(system.Patients) < simulatorPagePatients; i-- {
		record := records[i]
		patient := views.SimulatorPatient{PatientID: record.PatientID, CreatedAt: record.CreatedAt}
		for _, call := range record.Calls {
			patient.Calls = append(patient.Calls, simulatorCall(call))
		}
		system.Patients = append(system.Patients, patient)
	}

	return system
}

// simulatorCall lists a recorded call's fields by name.
func simulatorCall(call sim.Call) views.SimulatorCall {
	out := views.SimulatorCall{Endpoint: call.Endpoint, IdempotencyKey: call.IdempotencyKey, ReceivedAt: call.ReceivedAt}
	for _, name := range slices.Sorted(maps.Keys(call.Fields)) {
		out.Fields = append(out.Fields, views.SimulatorField{Name: name, Value: call.Fields[name]})
	}

	return out
}
