package app

import "github.com/labstack/echo/v4"

// clientIPExtractor reads the client address from X-Forwarded-For only when
// the request came through a proxy listed in TRUSTED_PROXIES; otherwise the
// connection's own address counts, so a client cannot choose the address
// its rate limit is counted under.
func (a *App) clientIPExtractor() echo.IPExtractor {
	if len(a.Config.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	options := []echo.TrustOption{
		echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false),
	}
	for _, network := range a.Config.TrustedProxies {
		options = append(options, echo.TrustIPRange(network))
	}

	return echo.ExtractIPFromXFFHeader(options...)
}
