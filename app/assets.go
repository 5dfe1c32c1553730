package app

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"

	"ehrbridge/static"
)

// staticRoutePrefix serves the embedded assets under a path that changes
// whenever any asset changes, so browsers may cache them for a year.
var staticRoutePrefix = "/static/" + assetsVersion() + "/"

// assetsVersion is a short hash of every embedded asset's content.
func assetsVersion() string {
	hash := sha256.New()
	err := fs.WalkDir(static.Files, ".", func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		content, err := fs.ReadFile(static.Files, path)
		hash.Write([]byte(path))
		hash.Write(content)
		return err
	})
	if err != nil {
		// The assets are compiled in; failing to read them is a build defect.
		panic("reading embedded assets: " + err.Error())
	}

	return hex.EncodeToString(hash.Sum(nil))[:12]
}

// assetPath returns the URL of an embedded asset such as "htmx.min.js".
func assetPath(name string) string {
	return staticRoutePrefix + name
}

func staticHandler() http.Handler {
	files := http.FileServer(http.FS(static.Files))

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}
