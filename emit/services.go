package emit

import (
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// services writes the fleet's own darwin implementations of service instances that clan
// does not implement on darwin. Today: zerotier through the Homebrew zerotier-one cask.
func (e *emitter) services() {
	for _, inst := range e.m.Instances {
		if inst.Service != "zerotier" || !dsl.IsZerotierHomebrew(inst.DarwinImpl) || len(inst.DarwinMembers) == 0 {
			continue
		}
		e.zerotierDarwin(inst.Name)
	}
}

// zerotierDarwin writes flake.modules.darwin."services/<instance>": the zerotier-one cask
// and a launchd daemon that joins the instance's network. The network id is clan's public
// var of the controller (vars/shared/zerotier-network-<instance>/network-id/value), read at
// evaluation time; until `clan vars generate` has created it, the daemon is left out so a
// fresh flake still evaluates. No secret is involved.
func (e *emitter) zerotierDarwin(instance string) {
	rel := "services/" + instance + "-darwin.nix"
	outer := newScope(nil, "")
	idFile := nix.Interp(nix.Splice(nix.Select(outer.id("inputs"), "self")),
		nix.Text("/vars/shared/zerotier-network-"+instance+"/network-id/value"))
	lets := []nix.Binding{
		nix.Bind([]string{"networkIdFile"}, idFile),
		nix.Bind([]string{"hasNetworkId"}, nix.Apply(nix.Select(nix.Id("builtins"), "pathExists"), nix.Id("networkIdFile"))),
		nix.Bind([]string{"networkId"}, libCall(outer, "removeSuffix", nix.Str("\n"),
			nix.Paren(nix.Apply(nix.Select(nix.Id("builtins"), "readFile"), nix.Id("networkIdFile"))))),
	}
	mb := e.newModule(outer, dsl.Darwin, rel)
	mb.b.bind([]string{"homebrew", "enable"}, nix.Bool(true), nil)
	mb.b.bind([]string{"homebrew", "casks"}, strList([]string{"zerotier-one"}), nil)
	script := nix.IndentedInterp(
		nix.Text("# Joins the zerotier network of clan instance "+instance+" once the cask's CLI exists.\n"+
			"cli=/usr/local/bin/zerotier-cli\n"+
			"[ -x \"$cli\" ] || exit 0\n"+
			"\"$cli\" listnetworks | grep -q "),
		nix.Splice(nix.Id("networkId")),
		nix.Text(" || \"$cli\" join "),
		nix.Splice(nix.Id("networkId")),
		nix.Text("\n"),
	)
	daemon := nix.Attrs(
		nix.Bind([]string{"script"}, script),
		nix.Bind([]string{"serviceConfig"}, nix.Attrs(
			nix.Bind([]string{"RunAtLoad"}, nix.Bool(true)),
			nix.Bind([]string{"StartInterval"}, nix.Int(300)),
		)),
	)
	mb.b.bind([]string{"launchd", "daemons", "zerotier-join-" + instance},
		libCall(mb.s, "mkIf", nix.Id("hasNetworkId"), daemon), nil)
	top := nix.Attrs(nix.Bind([]string{"flake", "modules", "darwin", "services/" + instance}, mb.expr()))
	e.module(rel, outer.fn(nix.Let(lets, top)))
}
