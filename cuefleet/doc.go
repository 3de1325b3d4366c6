// Package cuefleet is the CUE front-end of the fleet: it reads a fleet written in CUE,
// checks it against the fleet schema embedded in this package (schema.cue), and decodes it
// into the same [dsl.Fleet] values the Go constructors build, positions included, so package
// compiler checks it unchanged.
//
// It does not compile or emit the fleet; call compiler.Compile on what [Load] returns.
// The schema is also what `cue vet` and editors use: see [Schema].
package cuefleet
