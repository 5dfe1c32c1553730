// Package static embeds the admin UI's assets: htmx (2.0.11, vendored from
// the npm package htmx.org with its license beside it) and the stylesheet.
package static

import "embed"

// Files holds every asset.
//
//go:embed *.js *.css
var Files embed.FS
