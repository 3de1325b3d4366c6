// Package dsl is the vocabulary a fleet author writes: machines, users, tags, features,
// clan service instances, nixpkgs channels with hotfixes, patches and overrides, vars
// generators, binary caches and deployment phases, declared as Go values.
//
// The rules the package enforces through Go's type system:
//
//   - A reference is a Go value, never a name: a role takes a [*Machine] or a [Tag], a secret
//     path takes a [*Generator], an import takes a module of an [*Input]. A dangling reference
//     does not compile.
//   - Settings are typed by class. [NixOSPart] takes only [NixOSItem]s, [DarwinPart] only
//     [DarwinItem]s, [HomePart] only [HomeItem]s; so does machine configuration
//     ([NixOSConfig], [DarwinConfig]). A darwin-only item (such as [Casks]) attached to a NixOS
//     machine is a compile error. Items valid everywhere ([Set], [Packages], [Imports]) implement
//     all three.
//   - Machines are declared per class: [Fleet.NixOS] takes [NixOSOption]s and [Fleet.Darwin]
//     takes [DarwinOption]s; hosting and disk layouts exist only for NixOS machines.
//   - Every constructor records its caller's position ([Pos]), so the compiler can report each
//     mistake at the line the author wrote.
//
// What the type system cannot express (name rules, uniqueness, role cardinality, cycles in
// generator dependencies, script syntax, ...) is checked by package compiler, which reports
// every problem at once.
//
// The exported struct fields are the data model; the constructors are the way to fill it from
// Go. Other front-ends (CUE) fill the same structs and set [Pos] themselves.
package dsl
