// Package views holds the admin UI's templ components. Each page takes one
// props struct; Page carries what every page needs per request.
package views

import "ehrbridge/app/auth"

// Page is the per-request part of every page's props.
type Page struct {
	// Lang is the page's BCP 47 language tag, such as "es".
	Lang  string
	Title string
	// Path is the request path, for the navigation.
	Path string
	// Return is the path and query the language switch comes back to, without
	// the lang parameter.
	Return string
	// CSRFToken goes into every form and HTMX request that changes state.
	CSRFToken string
	// T renders the locale message under key in the page's language.
	T func(key string, args ...any) string
	// Asset returns the versioned URL of an embedded asset.
	Asset func(name string) string
	// Account and AccountRole are the signed-in user's name and role. They
	// are empty without a signed-in user: on the sign-in page, or in
	// development without authentication.
	Account     string
	AccountRole string
	// Allows reports whether the viewer may use what a permission guards;
	// pages hide links and buttons the viewer could not use.
	Allows func(perm auth.Permission) bool
	// SimulatorMounted is set when this process serves the EHR simulator
	// (development only); its page is listed only then.
	SimulatorMounted bool
}

// HXHeaders is the hx-headers value that sends the CSRF token with every
// HTMX request of the page.
func (p Page) HXHeaders() string {
	return `{"X-CSRF-Token": "` + p.CSRFToken + `"}`
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Path string
	Key  string
	// Permission is the permission the viewer needs to open the page. Only
	// viewers who have it see the link.
	Permission auth.Permission
}

// Navigation lists the admin UI's pages in menu order.
var Navigation = []NavItem{
	{"/", "page.nav.dashboard", auth.Read},
	{"/send", "page.nav.send", auth.Send},
	{"/bulk", "page.nav.bulk", auth.Send},
	{"/mappings", "page.nav.mappings", auth.Read},
	{"/systems", "page.nav.systems", auth.Read},
	{"/transactions", "page.nav.transactions", auth.Read},
	{"/queue", "page.nav.queue", auth.Read},
	{"/cache", "page.nav.cache", auth.Read},
	{"/simulator", "page.nav.simulator", auth.Admin},
	{"/users", "page.nav.users", auth.Admin},
	{"/api-keys", "page.nav.api_keys", auth.Admin},
	{"/audit", "page.nav.audit", auth.Admin},
}

// VisibleNavigation returns the navigation items the viewer may open; none
// for an anonymous visitor.
func (p Page) VisibleNavigation() []NavItem {
	var items []NavItem
	for _, item := range Navigation {
		if item.Path == "/simulator" && !p.SimulatorMounted {
			continue
		}
		if p.Allows != nil && p.Allows(item.Permission) {
			items = append(items, item)
		}
	}

	return items
}

// Current reports whether a navigation path is the page being shown.
func (p Page) Current(path string) bool {
	if path == "/" {
		return p.Path == "/"
	}

	return p.Path == path || len(p.Path) > len(path) && p.Path[:len(path)+1] == path+"/"
}

// ErrorProps is the props of the error page.
type ErrorProps struct {
	Page
	Status  int
	Message string
}
