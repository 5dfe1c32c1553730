// Package views holds the admin UI's templ components. Each page takes one
// props struct; Page carries what every page needs per request.
package views

// Page is the per-request part of every page's props.
type Page struct {
	// Lang is the page's BCP 47 language tag, such as "es".
	Lang  string
	Title string
	// T renders the locale message under key in the page's language.
	T func(key string, args ...any) string
	// Asset returns the versioned URL of an embedded asset.
	Asset func(name string) string
}

// HomeProps is the props of the home page.
type HomeProps struct {
	Page
	Systems []SystemRow
}

// SystemRow is one EHR system on the home page.
type SystemRow struct {
	Name      string
	Family    string
	BaseURL   string
	Simulator bool
}
