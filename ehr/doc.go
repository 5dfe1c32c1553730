// Package ehr is the domain of ehrbridge: the canonical patient model and its
// validation, EHR mappings and the engine that applies them, the Integration
// interface with its registry, and the planner and deliverer of one send.
//
// It imports no HTTP framework, template or storage package; app/ wires those
// around it.
package ehr
