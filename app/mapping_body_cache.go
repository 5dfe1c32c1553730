package app

import (
	"encoding/json"

	lru "github.com/hashicorp/golang-lru/v2"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// mappingBodyKey names one mapping version of one EHR system. Versions are
// immutable, and so are a system's name and family, so the encoded body of
// a key never changes.
type mappingBodyKey struct {
	systemID int64
	version  int
}

// encodedMappings keeps the JSON bodies of recently served mapping
// versions, so GET /ehr/mapping/:ehrName does not encode the same mapping
// on every request.
type encodedMappings struct {
	bodies *lru.Cache[mappingBodyKey, []byte]
}

func newEncodedMappings(size int) *encodedMappings {
	bodies, _ := lru.New[mappingBodyKey, []byte](max(size, 1)) // fails only for a size below 1

	return &encodedMappings{bodies: bodies}
}

// body returns the JSON body of a mapping version, encoding it on first use.
func (e *encodedMappings) body(system store.System, mapping ehr.Mapping) ([]byte, error) {
	key := mappingBodyKey{systemID: system.ID, version: mapping.Version}
	if body, ok := e.bodies.Get(key); ok {
		return body, nil
	}
	body, err := json.Marshal(toMappingBody(system, mapping))
	if err != nil {
		return nil, err
	}
	e.bodies.Add(key, body)

	return body, nil
}
