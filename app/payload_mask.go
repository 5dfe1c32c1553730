package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// maskMark replaces the hidden part of every masked value.
const maskMark = "•••"

// maskPayload returns the JSON document raw with every string replaced by
// its first character followed by maskMark, and every number and boolean
// by maskMark. Object keys, their order, array lengths and nulls are kept,
// so the shape of the request stays readable without its values.
func maskPayload(raw []byte) (json.RawMessage, error) {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var out bytes.Buffer
	if err := maskValue(decoder, &out); err != nil {
		return nil, fmt.Errorf("masking payload: %w", err)
	}
	if _, err := decoder.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("masking payload: data after the JSON document")
	}

	return out.Bytes(), nil
}

// maskValue copies the next JSON value of decoder to out, masked.
func maskValue(decoder *json.Decoder, out *bytes.Buffer) error {
	token, err := decoder.Token()
	if err != nil {
		return err
	}

	switch value := token.(type) {
	case json.Delim:
		return maskContainer(decoder, out, value)
	case string:
		return writeJSONString(out, maskString(value))
	case json.Number, bool:
		return writeJSONString(out, maskMark)
	case nil:
		out.WriteString("null")
		return nil
	default:
		return fmt.Errorf("unexpected JSON token %T", token)
	}
}

// maskContainer copies an object or array whose opening delimiter was just
// read, masking its values but not its keys.
func maskContainer(decoder *json.Decoder, out *bytes.Buffer, open json.Delim) error {
	isObject := open == '{'
	if isObject {
		out.WriteByte('{')
	} else {
		out.WriteByte('[')
	}

	for first := true; decoder.More(); first = false {
		if !first {
			out.WriteByte(',')
		}
		if isObject {
			key, err := decoder.Token()
			if err != nil {
				return err
			}
			if err := writeJSONString(out, key.(string)); err != nil {
				return err
			}
			out.WriteByte(':')
		}
		if err := maskValue(decoder, out); err != nil {
			return err
		}
	}

	// The decoder has already checked that the closing delimiter matches.
	closing, err := decoder.Token()
	if err != nil {
		return err
	}
	out.WriteRune(rune(closing.(json.Delim)))

	return nil
}

// maskString keeps the first character of s and hides the rest, whatever
// its length. An empty string becomes maskMark alone.
func maskString(s string) string {
	first, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return maskMark
	}

	return string(first) + maskMark
}

func writeJSONString(out *bytes.Buffer, s string) error {
	encoded, err := json.Marshal(s)
	if err != nil {
		return err
	}
	out.Write(encoded)

	return nil
}
