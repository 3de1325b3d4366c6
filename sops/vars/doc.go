// Package vars holds clan-core's on-disk secret layout for the sops
// backend: admin and machine public keys (sops/users, sops/machines), each
// machine's private age key encrypted to the admins
// (sops/secrets/<m>-age.key), groups (sops/groups), and the generated vars
// under vars/per-machine/<m>/<gen>/<file> and vars/shared/<gen>/<file>:
// a sops binary-store "secret" whose recipients are given by relative
// symlinks under machines/, users/ and groups/, or a public "value".
//
// A [Store] writes that layout exactly as clan's CLI does, and [Store.Check]
// and [Store.Fix] mirror "clan vars check" and "clan vars fix". Check reads
// recipients from sops metadata and never decrypts. Plaintext stays in
// memory; every file is written atomically (temporary file and rename).
// Running generators and evaluating Nix are not this package's business:
// the caller describes the expected generators with [Generator].
package vars
