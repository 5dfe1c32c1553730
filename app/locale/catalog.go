// Package locale renders the API's messages in the request's language. It
// builds a golang.org/x/text message catalog from the JSON message files of
// the locales package, picks the language of each request, and turns
// ehr.FieldError values into sentences.
package locale

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"ehrbridge/ehr"
)

// Keys that FieldMessage uses besides "field.<code>".
const (
	// KeyRequestBody names the whole request body when a FieldError's path
	// is empty.
	KeyRequestBody = "label.request_body"
	// KeyFieldInvalid is the message for a code that has no message of its
	// own.
	KeyFieldInvalid = "field.invalid"
)

// Catalog holds the messages of every supported language. It is safe for
// concurrent use.
type Catalog struct {
	builder   *catalog.Builder
	supported []language.Tag
	matcher   language.Matcher
	keys      map[string]bool
}

// Load reads every *.json file of files, each named after its language tag
// (en.json, es.json), and builds the catalog. English is required and is the
// fallback language. The error names the file and key at fault when a file
// is not a flat JSON object of strings, repeats a key, lacks a key another
// language has, or uses other format verbs than English for a key.
func Load(files fs.FS) (*Catalog, error) {
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, fmt.Errorf("listing message files: %w", err)
	}

	languages := make(map[language.Tag]messageFile, len(names))
	for _, name := range names {
		tag, err := languageOfFile(name)
		if err != nil {
			return nil, err
		}
		file, err := readMessageFile(files, name)
		if err != nil {
			return nil, err
		}
		languages[tag] = file
	}

	english, ok := languages[language.English]
	if !ok {
		return nil, fmt.Errorf("loading messages: en.json is missing, and English is the fallback language")
	}
	for _, file := range languages {
		if err := compareWithEnglish(english, file); err != nil {
			return nil, err
		}
	}

	return newCatalog(english, languages)
}

// languageOfFile reads the language tag that names a message file. The name
// must be the tag's canonical form, as in "es.json" or "pt-BR.json".
func languageOfFile(name string) (language.Tag, error) {
	base := strings.TrimSuffix(path.Base(name), ".json")
	tag, err := language.Parse(base)
	if err != nil {
		return language.Und, fmt.Errorf("reading language tag of %s: %w", name, err)
	}
	if tag.String() != base {
		return language.Und, fmt.Errorf("reading language tag of %s: rename the file to %s.json", name, tag)
	}

	return tag, nil
}

// newCatalog adds every message to an x/text catalog builder, English first.
func newCatalog(english messageFile, languages map[language.Tag]messageFile) (*Catalog, error) {
	c := &Catalog{
		builder:   catalog.NewBuilder(catalog.Fallback(language.English)),
		supported: []language.Tag{language.English},
		keys:      make(map[string]bool, len(english.keys)),
	}
	for tag := range languages {
		if tag != language.English {
			c.supported = append(c.supported, tag)
		}
	}
	slices.SortFunc(c.supported[1:], func(a, b language.Tag) int { return strings.Compare(a.String(), b.String()) })

	for _, tag := range c.supported {
		file := languages[tag]
		for _, key := range file.keys {
			if err := c.builder.SetString(tag, key, file.messages[key]); err != nil {
				return nil, fmt.Errorf("adding %s key %q: %w", file.name, key, err)
			}
		}
	}
	for _, key := range english.keys {
		c.keys[key] = true
	}
	c.matcher = language.NewMatcher(c.supported)

	return c, nil
}

// Supported returns the catalog's languages, English first.
func (c *Catalog) Supported() []language.Tag {
	return slices.Clone(c.supported)
}

// HasKey reports whether key has a message.
func (c *Catalog) HasKey(key string) bool {
	return c.keys[key]
}

// Text formats the message for key in the supported language closest to
// tag, with English for a language the catalog lacks. A key without a
// message returns the key itself.
func (c *Catalog) Text(tag language.Tag, key string, args ...any) string {
	if !c.HasKey(key) {
		return key
	}
	_, index, _ := c.matcher.Match(tag)
	printer := message.NewPrinter(c.supported[index], message.Catalog(c.builder))

	return printer.Sprintf(key, args...)
}

// FieldMessage renders fe with the message "field.<code>", whose first
// argument is the field path and whose other arguments are fe.Args. An empty
// path reads as the request body, and a code without a message of its own
// falls back to KeyFieldInvalid.
func (c *Catalog) FieldMessage(tag language.Tag, fe ehr.FieldError) string {
	field := fe.Field
	if field == "" {
		field = c.Text(tag, KeyRequestBody)
	}

	key := "field." + fe.Code
	args := append([]any{field}, fe.Args...)
	if !c.HasKey(key) {
		key, args = KeyFieldInvalid, []any{field}
	}

	return c.Text(tag, key, args...)
}
