package ehr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxMappingJSONDepth bounds how deeply the JSON of a mapping config may
// nest. A valid config nests 7 levels, down to a valueMap entry, and the
// bound keeps the recursive reader's stack small on hostile input.
const maxMappingJSONDepth = 32

var (
	errMappingJSONTooDeep      = errors.New("mapping config JSON nests too deeply")
	errMappingJSONTrailingData = errors.New("mapping config JSON has data after its value")
)

type mappingNodeKind uint8

const (
	mappingNull mappingNodeKind = iota
	mappingBool
	mappingNumber
	mappingString
	mappingObject
	mappingList
)

// mappingNode is one decoded JSON value. Unlike a Go map, an object keeps
// its members in the order they were written.
type mappingNode struct {
	kind    mappingNodeKind
	text    string
	boolean bool
	members []mappingMember
	items   []mappingNode
}

type mappingMember struct {
	key   string
	value mappingNode
}

// readMappingJSON decodes exactly one JSON value from raw.
func readMappingJSON(raw []byte) (mappingNode, error) {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()

	root, err := readMappingNode(decoder, 0)
	if err != nil {
		return mappingNode{}, fmt.Errorf("reading mapping config JSON: %w", err)
	}
	if _, err := decoder.Token(); !errors.Is(err, io.EOF) {
		return mappingNode{}, errMappingJSONTrailingData
	}

	return root, nil
}

func readMappingNode(decoder *json.Decoder, depth int) (mappingNode, error) {
	if depth > maxMappingJSONDepth {
		return mappingNode{}, errMappingJSONTooDeep
	}
	token, err := decoder.Token()
	if err != nil {
		return mappingNode{}, err
	}

	switch value := token.(type) {
	case json.Delim:
		if value == '{' {
			return readMappingObject(decoder, depth)
		}
		return readMappingList(decoder, depth)
	case string:
		return mappingNode{kind: mappingString, text: value}, nil
	case json.Number:
		return mappingNode{kind: mappingNumber, text: value.String()}, nil
	case bool:
		return mappingNode{kind: mappingBool, boolean: value}, nil
	default:
		return mappingNode{kind: mappingNull}, nil
	}
}

// readMappingObject reads the members of an object whose "{" was read.
func readMappingObject(decoder *json.Decoder, depth int) (mappingNode, error) {
	node := mappingNode{kind: mappingObject}
	for decoder.More() {
		token, err := decoder.Token()
		if err != nil {
			return mappingNode{}, err
		}
		key, _ := token.(string)

		value, err := readMappingNode(decoder, depth+1)
		if err != nil {
			return mappingNode{}, err
		}
		node.members = append(node.members, mappingMember{key: key, value: value})
	}
	if _, err := decoder.Token(); err != nil {
		return mappingNode{}, err
	}

	return node, nil
}

// readMappingList reads the items of a list whose "[" was read.
func readMappingList(decoder *json.Decoder, depth int) (mappingNode, error) {
	node := mappingNode{kind: mappingList}
	for decoder.More() {
		item, err := readMappingNode(decoder, depth+1)
		if err != nil {
			return mappingNode{}, err
		}
		node.items = append(node.items, item)
	}
	if _, err := decoder.Token(); err != nil {
		return mappingNode{}, err
	}

	return node, nil
}
