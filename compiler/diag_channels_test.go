package compiler_test

import (
	"time"

	"github.com/nixfleet/fleet/dsl"
)

var (
	allPlatforms = []dsl.Platform{dsl.AllPlatforms}
	linux        = []dsl.Platform{dsl.LinuxOS}
	added        = dsl.Day(2025, time.September, 28)
)

func channelTests() []diagTest {
	return []diagTest{{
		name:   "no unstable channel",
		reason: "clan needs the unstable channel as its nixpkgs input",
		build: func() *dsl.Fleet {
			f := dsl.New("t") // @nou
			server(f, "web")
			return f
		},
		want: []string{`@nou:9: error: the fleet has no unstable channel, which clan needs as its nixpkgs input (hint: f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable"))`},
	}, {
		name:   "channel declared twice, one without URL, one of an unknown role",
		reason: "each channel role is one flake input with a URL",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")   // @ch2
			f.Channel(dsl.LinuxStableChannel, "")                                   // @churl
			f.Channel("darwin-stabel", "github:NixOS/nixpkgs/nixpkgs-25.05-darwin") // @chrole
			return f
		},
		want: []string{
			`@ch2:4: error: the unstable channel is already declared (hint: declare each channel once)`,
			`@churl:4: error: the linux-stable channel has no URL (hint: a flake reference such as "github:NixOS/nixpkgs/<branch>")`,
			`@chrole:4: error: unknown channel role "darwin-stabel" (hint: did you mean "darwin-stable"?)`,
		},
	}, {
		name:   "stable hotfix on darwin without a darwin-stable channel",
		reason: "pkgs.stable on darwin comes from the darwin-stable channel",
		build: func() *dsl.Fleet {
			f := fleet()
			laptop(f, "mac")
			f.Hotfix(dsl.Hotfix{Package: "micromamba", From: dsl.Stable, Platforms: []dsl.Platform{dsl.DarwinOS}, Reason: "fmt 11 breaks the build", Added: added}) // @hfst
			return f
		},
		want: []string{`@hfst:4: error: hotfix for micromamba takes it from pkgs.stable on darwin, but the fleet has no darwin-stable channel (hint: f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-25.05-darwin"))`},
	}, {
		name:   "stable hotfix for all platforms without a linux-stable channel",
		reason: "\"all\" applies to the fleet's Linux machines too",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-25.05-darwin")
			laptop(f, "mac")
			server(f, "web")
			f.Hotfix(dsl.Hotfix{Package: "git", From: dsl.Stable, Platforms: allPlatforms, Reason: "r", Added: added}) // @hfall
			return f
		},
		want: []string{`@hfall:4: error: hotfix for git takes it from pkgs.stable on Linux, but the fleet has no linux-stable channel (hint: f.Channel(dsl.LinuxStableChannel, "github:NixOS/nixpkgs/nixos-25.05"))`},
	}, {
		name:   "hotfix past its remove-by date",
		reason: "a hotfix that outlived its date is probably obsolete",
		build: func() *dsl.Fleet {
			f := fleet()
			server(f, "web")
			f.Hotfix(dsl.Hotfix{Package: "micromamba", From: dsl.Unstable, Platforms: allPlatforms, // @hfold
				Reason: "fmt 11 breaks the build", Added: added, RemoveWhen: "fmt 11 support lands upstream",
				RemoveBy: dsl.Day(2025, time.October, 1)})
			return f
		},
		want: []string{`@hfold:4: warning: hotfix for micromamba is 57 days past its remove-by date 2025-10-01 (added 2025-09-28) (hint: remove it when fmt 11 support lands upstream; check whether that happened)`},
	}, {
		name:   "hotfix without its record",
		reason: "a hotfix must say why and since when",
		build: func() *dsl.Fleet {
			f := fleet()
			server(f, "web")
			f.Hotfix(dsl.Hotfix{Package: "git", From: dsl.Unstable, Platforms: allPlatforms}) // @hfrec
			return f
		},
		want: []string{
			`@hfrec:4: error: hotfix for git has no date added (hint: a hotfix must carry its record: Added: dsl.Day(…))`,
			`@hfrec:4: error: hotfix for git has no reason (hint: a hotfix must carry its record: say why it exists)`,
		},
	}, {
		name:   "hotfix platforms unknown or absent from the fleet",
		reason: "a hotfix for a platform nobody runs is dead, a misspelt one never applies",
		build: func() *dsl.Fleet {
			f := fleet()
			server(f, "web")
			f.Hotfix(dsl.Hotfix{Package: "git", From: dsl.Unstable, // @hfplat
				Platforms: []dsl.Platform{"aarch64-darwn", dsl.SystemPlatform(dsl.AArch64Linux)}, Reason: "r", Added: added})
			return f
		},
		want: []string{
			`@hfplat:4: error: hotfix for git applies to aarch64-linux, but no machine of the fleet runs on it`,
			`@hfplat:4: error: hotfix for git names unknown platform "aarch64-darwn" (hint: did you mean "aarch64-darwin"?)`,
		},
	}, {
		name:   "one package fixed twice on one platform",
		reason: "two overlays for one package and platform: only the last would win",
		build: func() *dsl.Fleet {
			f := fleet()
			server(f, "web")
			f.Hotfix(dsl.Hotfix{Package: "git", From: dsl.Unstable, Platforms: allPlatforms, Reason: "r", Added: added})
			f.Hotfix(dsl.Hotfix{Package: "git", From: dsl.Patched, Platforms: linux, Reason: "r", Added: added}) // @hfdup
			return f
		},
		want: []string{`@hfdup:4: error: hotfix for git is already declared for x86_64-linux (hint: one hotfix per package and platform: merge them or split their platforms)`},
	}, {
		name:   "hotfix without a package set",
		reason: "taking a package from pkgs itself changes nothing",
		build: func() *dsl.Fleet {
			f := fleet()
			server(f, "web")
			f.Hotfix(dsl.Hotfix{Package: "git", Platforms: allPlatforms, Reason: "r", Added: added}) // @hfnoset
			return f
		},
		want: []string{`@hfnoset:4: error: hotfix for git names no package set to take it from (hint: From: dsl.Stable, dsl.Unstable or dsl.Patched)`},
	}, {
		name:   "patch over http with a non-SRI hash",
		reason: "fetchpatch needs https and an SRI hash",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Patch("http://github.com/NixOS/nixpkgs/pull/1.patch", "sha256:abc", "fix the build") // @patch1
			return f
		},
		want: []string{
			`@patch1:4: error: patch URL "http://github.com/NixOS/nixpkgs/pull/1.patch" is not an https URL (hint: fetchpatch needs a fixed https URL, such as https://github.com/NixOS/nixpkgs/pull/123456.patch)`,
			`@patch1:4: error: patch http://github.com/NixOS/nixpkgs/pull/1.patch has an invalid hash "sha256:abc": not an SRI hash (<algorithm>-<base64>) (hint: use the SRI hash nix prints, such as sha256-…=)`,
		},
	}, {
		name:   "patch hash of the wrong length",
		reason: "the parser's reason is shown",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Patch("https://github.com/NixOS/nixpkgs/pull/2.patch", "sha256-AAAA", "fix the build") // @patch2
			return f
		},
		want: []string{`@patch2:4: error: patch https://github.com/NixOS/nixpkgs/pull/2.patch has an invalid hash "sha256-AAAA": unknown encoding for AAAA (hint: use the SRI hash nix prints, such as sha256-…=)`},
	}, {
		name:   "override without attributes or record",
		reason: "an override changes attributes and says why",
		build: func() *dsl.Fleet {
			f := fleet()
			server(f, "web")
			f.Override(dsl.Override{Package: "git", Platforms: linux}) // @ovr
			return f
		},
		want: []string{
			`@ovr:4: error: override of git has no date added (hint: an override must carry its record: Added: dsl.Day(…))`,
			`@ovr:4: error: override of git has no reason (hint: an override must carry its record: say why it exists)`,
			`@ovr:4: error: override of git sets no attributes (hint: Attrs: dsl.Attrs(dsl.Field("doCheck", false)))`,
		},
	}}
}
