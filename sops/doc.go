// Package sops reads and writes sops-encrypted files for age recipients,
// in-process and byte-compatible with the sops 3.13 binary.
//
// It holds the three stores a Nix fleet needs: the binary store (clan's
// "secret" files: a JSON object with a single "data" key), the JSON store and
// the YAML store (sops-nix user secrets, comments and key order kept). A file
// has one key group of age X25519 (or hybrid post-quantum) recipients, each
// holding its own armored age encryption of the 32-byte data key. Values are
// AES-256-GCM encrypted with sops's 32-byte nonce and the key path as
// additional data, and a MAC over all values protects the file as a whole.
//
// Encrypt writes a new file; Open decrypts one into a [File], whose Seal
// re-encrypts changed plaintext with the same data key and the same IVs for
// unchanged values, so diffs stay small; UpdateKeys re-wraps the data key
// for a new recipient set without touching the values (sops updatekeys).
//
// Not supported, and refused with an error wrapping [ErrUnsupported]: more
// than one key group (Shamir), shamir_threshold, files whose only keys are
// pgp/kms/vault, the encrypted_suffix, encrypted_regex, unencrypted_regex and
// comment-regex rules, the dotenv and INI stores, and age plugin or SSH
// recipients. The clan on-disk layout built on top lives in package vars.
package sops
