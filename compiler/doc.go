// Package compiler turns a [dsl.Fleet] into the checked [Model] the emitter consumes: tags
// resolved to machines, service settings merged per role (clan accepts one definition per
// settings node), overlays and generators in order. It runs every check Go's types cannot
// express and reports all problems at once as [Diagnostics], sorted by position, each
// rendered as file:line:col: error|warning: message.
//
// It does not write files or evaluate Nix; see package emit.
package compiler
