// Package locales embeds the message files of every supported language.
//
// Each file is named after its BCP 47 language tag (en.json, es.json) and
// holds one flat JSON object that maps dotted keys to messages written as Go
// format strings with explicit argument indexes, as in
// "field.required": "%[1]s is required". Keys are kept sorted, and every file
// has the same keys. A key "field.<code>" renders a FieldError with that
// code: its first argument is the field path and the code's arguments follow.
package locales

import "embed"

// Files holds the *.json message files, read by app/locale at start.
//
//go:embed *.json
var Files embed.FS
