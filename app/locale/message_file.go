package locale

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strings"
)

// messageFile is one language's messages, with keys in file order.
type messageFile struct {
	name     string
	keys     []string
	messages map[string]string
}

// readMessageFile reads a flat JSON object of key to message string. It
// rejects repeated keys, non-string values, format verbs without an explicit
// argument index, and the "${" sequence that x/text reads as a variable.
func readMessageFile(files fs.FS, name string) (messageFile, error) {
	data, err := fs.ReadFile(files, name)
	if err != nil {
		return messageFile{}, fmt.Errorf("reading %s: %w", name, err)
	}

	file := messageFile{name: name, messages: map[string]string{}}
	decoder := json.NewDecoder(bytes.NewReader(data))
	if token, err := decoder.Token(); err != nil || token != json.Delim('{') {
		return messageFile{}, fmt.Errorf("reading %s: must be a JSON object of message strings", name)
	}
	for decoder.More() {
		key, message, err := readMessage(decoder)
		if err != nil {
			return messageFile{}, fmt.Errorf("reading %s: %w", name, err)
		}
		if _, repeated := file.messages[key]; repeated {
			return messageFile{}, fmt.Errorf("reading %s: key %q appears twice", name, key)
		}
		if _, err := formatVerbs(message); err != nil {
			return messageFile{}, fmt.Errorf("reading %s: key %q: %w", name, key, err)
		}
		file.keys = append(file.keys, key)
		file.messages[key] = message
	}
	if err := readObjectEnd(decoder); err != nil {
		return messageFile{}, fmt.Errorf("reading %s: %w", name, err)
	}

	return file, nil
}

func readMessage(decoder *json.Decoder) (key, message string, err error) {
	token, err := decoder.Token()
	if err != nil {
		return "", "", fmt.Errorf("invalid JSON: %w", err)
	}
	key, _ = token.(string)
	if err := decoder.Decode(&message); err != nil {
		return "", "", fmt.Errorf("key %q: value must be a string: %w", key, err)
	}
	if key == "" {
		return "", "", errors.New("empty key")
	}

	return key, message, nil
}

// readObjectEnd reads the closing brace and checks that nothing follows it.
func readObjectEnd(decoder *json.Decoder) error {
	if _, err := decoder.Token(); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := decoder.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON object")
	}

	return nil
}

// formatVerb matches one fmt verb with its flags, width and precision.
var formatVerb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.(\d+|\*)?)?([a-zA-Z%])`)

// formatVerbs returns the sorted, distinct verbs of message with their
// indexes, as in ["[1]s", "[2]d"]. "%%" is not a verb. It fails on a verb
// without an explicit index, because translations may reorder arguments.
func formatVerbs(message string) ([]string, error) {
	if strings.Contains(message, "${") {
		return nil, errors.New(`"${" starts a variable in x/text messages and is not allowed`)
	}

	var verbs []string
	for _, match := range formatVerb.FindAllStringSubmatch(message, -1) {
		index, verb := match[1], match[5]
		if verb == "%" {
			continue
		}
		if index == "" {
			return nil, fmt.Errorf("format verb %q needs an explicit argument index such as %%[1]%s", match[0], verb)
		}
		verbs = append(verbs, index+verb)
	}
	slices.Sort(verbs)

	return slices.Compact(verbs), nil
}

// compareWithEnglish checks that file has exactly English's keys and that
// each message uses the same format verbs as the English one.
func compareWithEnglish(english, file messageFile) error {
	for _, key := range english.keys {
		if _, ok := file.messages[key]; !ok {
			return fmt.Errorf("loading messages: key %q of %s is missing from %s", key, english.name, file.name)
		}
	}
	for _, key := range file.keys {
		englishMessage, ok := english.messages[key]
		if !ok {
			return fmt.Errorf("loading messages: key %q of %s is missing from %s", key, file.name, english.name)
		}
		want, _ := formatVerbs(englishMessage)
		got, _ := formatVerbs(file.messages[key])
		if !slices.Equal(got, want) {
			return fmt.Errorf("loading messages: key %q uses verbs %v in %s but %v in %s",
				key, got, file.name, want, english.name)
		}
	}

	return nil
}
