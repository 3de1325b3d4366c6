package compiler_test

import (
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// TestRelatedPositions checks the related positions the rendered text does not show: a
// duplicate points at the first declaration, a conflict at the earlier setting.
func TestRelatedPositions(t *testing.T) {
	f := fleet()
	first := f.NixOS("web", sv)
	second := f.NixOS("web", sv)
	a := f.Service("zerotier", "zt",
		dsl.WithRole("controller", dsl.Members(server(f, "ctl")), dsl.RoleSettings(dsl.Attrs(dsl.Field("public", true)))),
		dsl.WithRole("controller", dsl.RoleSettings(dsl.Attrs(dsl.Field("public", false)))))
	_, ds := compiler.Compile(f, compiler.Today(today))
	var dup, conflict *compiler.Diagnostic
	for i := range ds {
		switch ds[i].Pos {
		case second.Pos:
			dup = &ds[i]
		case a.Roles[1].Pos:
			conflict = &ds[i]
		}
	}
	if dup == nil || len(dup.Related) != 1 || dup.Related[0] != first.Pos {
		t.Errorf("duplicate machine: %+v, want related %v", dup, first.Pos)
	}
	if conflict == nil || len(conflict.Related) != 1 || conflict.Related[0] != a.Roles[0].Pos {
		t.Errorf("conflict: %+v, want related %v", conflict, a.Roles[0].Pos)
	}
}
