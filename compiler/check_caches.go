package compiler

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

// checkCaches checks binary caches: an https URL (http only for localhost), a public key
// name:base64 of an ed25519 key, and no URL twice.
func (cc *compilation) checkCaches() {
	seen := map[string]*dsl.Cache{}
	for _, c := range nonNil(cc.fleet.Caches) {
		u, err := url.Parse(c.URL)
		switch {
		case c.URL == "":
			cc.r.errorf(c.Pos, "cache has no URL")
		case err != nil:
			cc.r.errorf(c.Pos, "cache URL %q does not parse: %v", c.URL, err)
		case u.Host == "":
			cc.r.errorf(c.Pos, "cache URL %q has no host", c.URL)
		case u.Scheme == "https":
		case u.Scheme == "http" && isLocalhost(u.Hostname()):
		default:
			cc.r.errorf(c.Pos, "cache URL %q is not https", c.URL).Hint = "substituters are fetched over the network: use https (http only for localhost)"
		}
		if msg := cacheKeyProblem(c.PublicKey); msg != "" {
			cc.r.errorf(c.Pos, "cache %s has an invalid public key %q: %s", c.URL, c.PublicKey, msg).Hint =
				"the key the cache prints, such as cache.example.org-1:<44 base64 characters>"
		}
		key := strings.TrimSuffix(c.URL, "/")
		if prev := seen[key]; prev != nil && key != "" {
			d := cc.r.errorf(c.Pos, "cache %s is already declared", c.URL)
			d.Related = []dsl.Pos{prev.Pos}
			continue
		}
		seen[key] = c
	}
}

func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// cacheKeyProblem explains why k is not a Nix binary cache public key, or returns "".
func cacheKeyProblem(k string) string {
	name, b64, ok := strings.Cut(k, ":")
	switch {
	case k == "":
		return "it is empty"
	case !ok || name == "":
		return "want name:base64"
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "the key is not base64: " + err.Error()
	}
	if len(raw) != 32 {
		return sprintf("the key is %d bytes, an ed25519 public key is 32", len(raw))
	}
	return ""
}
