package cli

import (
	"fmt"
	"os/exec"
	"strings"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// runtimeInputBinaries maps common nixpkgs package names to the program that shows the
// package is installed on the host. "fleet vars generate" runs scripts with the host's
// PATH (putting Nix packages on PATH needs Nix), so it checks these before running a
// generator. A package not listed here is looked up by its own name; when that fails too,
// generate only warns.
var runtimeInputBinaries = map[string]string{
	"age":             "age",
	"apacheHttpd":     "htpasswd",
	"bash":            "bash",
	"coreutils":       "cat",
	"diceware":        "diceware",
	"findutils":       "find",
	"gawk":            "awk",
	"gnugrep":         "grep",
	"gnupg":           "gpg",
	"gnused":          "sed",
	"jq":              "jq",
	"libargon2":       "argon2",
	"minisign":        "minisign",
	"mkpasswd":        "mkpasswd",
	"mosquitto":       "mosquitto_passwd",
	"openssh":         "ssh-keygen",
	"openssl":         "openssl",
	"pwgen":           "pwgen",
	"python3":         "python3",
	"sops":            "sops",
	"ssh-to-age":      "ssh-to-age",
	"step-cli":        "step",
	"util-linux":      "uuidgen",
	"wireguard-tools": "wg",
	"xkcdpass":        "xkcdpass",
	"xxd":             "xxd",
	"yq-go":           "yq",
	"zerotierone":     "zerotier-idtool",
}

// checkRuntimeInputs looks for each runtime input's program on the host PATH. It returns
// an error naming the missing programs of known packages, and warnings for packages it
// cannot map to a program.
func checkRuntimeInputs(g *compiler.Generator, lookPath func(string) (string, error)) (warnings []string, err error) {
	var missing []string
	for _, v := range g.RuntimeInputs {
		ref, ok := v.Underlying().(dsl.PkgRef)
		if !ok || len(ref.Path) == 0 {
			warnings = append(warnings, fmt.Sprintf("runtime input %v is not a plain package; the script gets the host PATH", v.Underlying()))
			continue
		}
		name := ref.Path[len(ref.Path)-1]
		bin, known := runtimeInputBinaries[name]
		if !known {
			bin = name
		}
		if _, err := lookPath(bin); err == nil {
			continue
		}
		if known {
			missing = append(missing, fmt.Sprintf("%s (from package %s)", bin, strings.Join(ref.Path, ".")))
		} else {
			warnings = append(warnings, fmt.Sprintf("runtime input %s: no program %q on PATH and no known program for it; the script gets the host PATH", strings.Join(ref.Path, "."), name))
		}
	}
	if len(missing) > 0 {
		return warnings, fmt.Errorf("not on PATH: %s; install it (scripts run with the host PATH, not the runtime inputs' Nix packages)", strings.Join(missing, ", "))
	}
	return warnings, nil
}

var defaultLookPath = exec.LookPath
