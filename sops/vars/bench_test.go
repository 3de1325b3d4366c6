package vars

import (
	"fmt"
	"testing"
)

// BenchmarkCheck checks a synthetic store of 5 machines with 10 generators
// each (a deployed secret and a public file per generator, plus one shared
// generator per machine). Check reads recipients from sops metadata and
// decrypts nothing.
func BenchmarkCheck(b *testing.B) {
	fx := newFixture(b)
	var gens []Generator
	for m := range 5 {
		for g := range 9 {
			gens = append(gens, Generator{
				Machine: fmt.Sprintf("m%d", m), Name: fmt.Sprintf("gen%d", g), ValidationHash: "h",
				Files: []File{{Name: "key", Secret: true, Deploy: true}, {Name: "key.pub"}},
			})
		}
		gens = append(gens, Generator{
			Machine: fmt.Sprintf("m%d", m), Name: "shared", Share: true,
			Files: []File{{Name: "psk", Secret: true, Deploy: true}},
		})
	}
	for _, g := range gens {
		if g.ValidationHash != "" {
			if err := fx.store.SetValidationHash(g); err != nil {
				b.Fatal(err)
			}
		}
		for _, f := range g.Files {
			var err error
			if f.Secret {
				err = fx.store.SetSecret(g, f.Name, []byte("secret "+g.Name))
			} else {
				err = fx.store.SetPublic(g, f.Name, []byte("public "+g.Name))
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	for b.Loop() {
		r, err := fx.store.Check(gens)
		if err != nil {
			b.Fatal(err)
		}
		if !r.OK() {
			b.Fatalf("synthetic store not clean:\n%s", r)
		}
	}
}
