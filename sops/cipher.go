package sops

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// nonceSize is sops's non-standard AES-GCM nonce length.
const nonceSize = 32

// encPattern matches an encrypted value; the groups are data, iv, tag, type.
var encPattern = regexp.MustCompile(`^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]`)

// stashKey identifies a plaintext value at a key path. Re-encrypting the
// same value at the same path reuses its IV, so its ciphertext is unchanged.
type stashKey struct {
	aad, typ, plain string
}

// valueCipher encrypts and decrypts single values under one data key.
type valueCipher struct {
	gcm   cipher.AEAD
	block cipher.Block
	rand  io.Reader
	stash map[stashKey][]byte
}

func newValueCipher(key []byte, rand io.Reader) (*valueCipher, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("sops: data key is %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sops: data key: %w", err)
	}
	gcm, err := cipher.NewGCMWithNonceSize(block, nonceSize)
	if err != nil {
		return nil, fmt.Errorf("sops: data key: %w", err)
	}
	return &valueCipher{gcm: gcm, block: block, rand: rand, stash: map[stashKey][]byte{}}, nil
}

// encrypt returns the ENC[...] form of v, or "" for an empty string, as
// sops leaves those in clear.
func (c *valueCipher) encrypt(v any, ad string) (string, error) {
	plain, typ, err := plainBytes(v)
	if err != nil {
		return "", err
	}
	if len(plain) == 0 && (typ == "str" || typ == "bytes" || typ == "comment") {
		return "", nil
	}
	k := stashKey{aad: ad, typ: typ, plain: string(plain)}
	iv, ok := c.stash[k]
	if !ok {
		iv = make([]byte, nonceSize)
		if _, err := io.ReadFull(c.rand, iv); err != nil {
			return "", fmt.Errorf("sops: reading random IV: %w", err)
		}
	}
	out := c.gcm.Seal(nil, iv, plain, []byte(ad))
	tag := out[len(out)-aes.BlockSize:]
	enc := base64.StdEncoding
	return "ENC[AES256_GCM,data:" + enc.EncodeToString(out[:len(out)-aes.BlockSize]) +
		",iv:" + enc.EncodeToString(iv) +
		",tag:" + enc.EncodeToString(tag) +
		",type:" + typ + "]", nil
}

// errNotEncrypted is the cause when a value that should be encrypted is not
// an ENC[...] string.
var errNotEncrypted = errors.New("not in sops's ENC[AES256_GCM,...] format")

// decrypt opens an ENC[...] value ("" passes through) and remembers its IV
// for later re-encryption.
func (c *valueCipher) decrypt(s, ad string) (any, error) {
	if s == "" {
		return "", nil
	}
	m := encPattern.FindStringSubmatch(s)
	if m == nil {
		return nil, errNotEncrypted
	}
	enc := base64.StdEncoding
	data, err := enc.DecodeString(m[1])
	if err != nil {
		return nil, fmt.Errorf("base64 data: %w", err)
	}
	iv, err := enc.DecodeString(m[2])
	if err != nil {
		return nil, fmt.Errorf("base64 iv: %w", err)
	}
	tag, err := enc.DecodeString(m[3])
	if err != nil {
		return nil, fmt.Errorf("base64 tag: %w", err)
	}
	gcm := c.gcm
	if len(iv) != nonceSize {
		if gcm, err = cipher.NewGCMWithNonceSize(c.block, len(iv)); err != nil {
			return nil, fmt.Errorf("iv: %w", err)
		}
	}
	plain, err := gcm.Open(nil, iv, append(data, tag...), []byte(ad))
	if err != nil {
		return nil, errAuth
	}
	v, err := fromPlain(plain, m[4])
	if err != nil {
		return nil, err
	}
	if len(iv) == nonceSize {
		c.stash[stashKey{aad: ad, typ: m[4], plain: string(plain)}] = iv
	}
	return v, nil
}
