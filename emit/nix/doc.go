// Package nix holds the Nix syntax tree that the fleet compiler emits and the
// one canonical printer for it.
//
// The tree (ast.go) is built only through the constructors in this package:
// [Expr], [Binding], [Param] and [Part] are sealed interfaces, so the only way
// for arbitrary text to become Nix code is [Raw], which is printed verbatim
// and is the caller's responsibility. Every other node is checked when it is
// printed: identifiers, attribute names, paths, numbers and strings that Nix
// cannot represent are reported as errors (all of them, joined, each
// prefixed with the attribute path where it occurs), never silently changed.
//
// Printing happens in three separate steps:
//
//   - tokens.go turns the tree into a token stream (text, soft lines,
//     hard lines, groups and indentation), one method per node kind, and
//     hands each token to the layout as it is made;
//   - layout.go holds the single layout decision, which decides only
//     where the soft lines break and how far lines are indented, by
//     measuring the flat width of each group against a soft limit of 100
//     columns after indentation. It writes tokens out as they come and
//     holds them back only while a group is being measured, at most about
//     a line's worth, so the stream is never built whole;
//   - escape.go holds one total, rune-by-rune escaper per string form
//     ("..." and ”...”).
//
// The layout follows nixfmt (RFC 166) and has no options: the same tree
// always prints to the same bytes. Sets with more than one binding, lists
// with more than one item, non-empty sets bound to an attribute, let
// expressions and comments are always expanded; everything else stays on one
// line when it fits.
//
// The package does not parse Nix, evaluate it, or format hand-written Nix
// code; [Raw] text is neither checked nor re-indented.
package nix
