package cuefleet

import _ "embed"

//go:embed schema.cue
var schema []byte

// SchemaFile is the name the embedded schema's positions carry in diagnostics.
const SchemaFile = "cuefleet/schema.cue"

// Schema returns the fleet schema (CUE source, package fleet). Put a copy next to a fleet's
// .cue files to check them with `cue vet` or an editor's CUE language server.
func Schema() []byte { return append([]byte(nil), schema...) }
