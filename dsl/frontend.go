package dsl

// These helpers let a front-end other than the Go constructors (package cuefleet) build
// the same values with positions of its own: [Pkg], [SecretPath], [Input.Module] and [Raw]
// record the Go caller's position, which is wrong for a value read from another file.

// Value wraps the package reference as a Value, keeping r.Pos.
func (r PkgRef) Value() Value { return Value{r} }

// Value wraps the secret reference as a Value, keeping r.Pos.
func (r SecretRef) Value() Value { return Value{r} }

// Value wraps the input reference as a Value, keeping r.Pos.
func (r InputRef) Value() Value { return Value{r} }

// Value wraps the raw Nix source as a Value, keeping r.Pos.
func (r RawNix) Value() Value { return Value{r} }
