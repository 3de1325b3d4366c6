package sops

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
)

// Version is the sops version this package writes into new files' metadata;
// the output matches what that version of the sops binary writes.
const Version = "3.13.3"

// Format is a sops store: how the plaintext is parsed and how the encrypted
// file is laid out.
type Format int

const (
	// Binary is sops's binary store: any bytes, stored in the "data" key of a
	// JSON envelope. clan's vars "secret" files use it.
	Binary Format = iota + 1
	// JSON is the JSON store: the top level must be an object.
	JSON
	// YAML is the YAML store: every document must be a mapping.
	YAML
)

// String returns the name sops uses for the store (--input-type).
func (f Format) String() string {
	switch f {
	case Binary:
		return "binary"
	case JSON:
		return "json"
	case YAML:
		return "yaml"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatOf picks the store from a file name as sops does: .yaml and .yml are
// YAML, .json is JSON, .env and .ini are refused as unsupported, and every
// other name (including none, like clan's "secret") is Binary.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return YAML, nil
	case ".json":
		return JSON, nil
	case ".env":
		return 0, unsupported("the dotenv store (%s)", path)
	case ".ini":
		return 0, unsupported("the INI store (%s)", path)
	}
	return Binary, nil
}

// An Option changes how files are encrypted.
type Option func(*options)

type options struct {
	rand io.Reader
	now  func() time.Time
}

// WithRand makes the data key and the value IVs come from r instead of
// crypto/rand, for repeatable tests. The age encryption of the data key
// always uses crypto/rand (in tests, testing/cryptotest.SetGlobalRandom
// makes it repeatable). Never replay the same stream for different
// plaintexts under one data key (e.g. a freshly seeded reader for each
// Seal): repeated IVs break AES-GCM.
func WithRand(r io.Reader) Option { return func(o *options) { o.rand = r } }

// WithClock sets the clock that stamps lastmodified (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

func collect(opts []Option) options {
	o := options{rand: rand.Reader, now: time.Now}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// Encrypt encrypts plaintext in the given store for the age recipients, with
// a fresh data key, as "sops encrypt" does. Recipients appear in the
// metadata in the order given.
func Encrypt(plaintext []byte, f Format, recipients []string, opts ...Option) ([]byte, error) {
	o := collect(opts)
	docs, err := loadPlain(f, plaintext)
	if err != nil {
		return nil, err
	}
	if len(recipients) == 0 {
		return nil, errors.New("sops: no recipients")
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(o.rand, key); err != nil {
		return nil, fmt.Errorf("sops: reading random data key: %w", err)
	}
	m := &metadata{version: Version}
	if f != Binary {
		m.rules.unencryptedSuffix, m.suffixStated = defaultUnencryptedSuffix, true
	}
	if m.age, err = wrapAll(key, recipients); err != nil {
		return nil, err
	}
	c, err := newValueCipher(key, o.rand)
	if err != nil {
		return nil, err
	}
	return seal(f, docs, m, c, o)
}

// seal encrypts docs in place, stamps and MACs m, and renders the file.
func seal(f Format, docs []branch, m *metadata, c *valueCipher, o options) ([]byte, error) {
	mac, err := encryptTree(docs, m.rules, c)
	if err != nil {
		return nil, err
	}
	m.lastModified = o.now().UTC().Truncate(time.Second)
	c.rand = o.rand
	if m.mac, err = c.encrypt(mac, m.lastModified.Format(time.RFC3339)); err != nil {
		return nil, err
	}
	return emitEncrypted(f, docs, m)
}

func wrapAll(key []byte, recipients []string) ([]ageKey, error) {
	out := make([]ageKey, len(recipients))
	for i, r := range recipients {
		enc, err := wrapKey(key, r)
		if err != nil {
			return nil, err
		}
		out[i] = ageKey{recipient: r, enc: enc}
	}
	return out, nil
}

// Decrypt decrypts a sops file with the given identities and returns the
// plaintext as "sops decrypt" prints it. It fails with a *NoKeyError, a
// *ValueError or a *MACError when the key, a value or the MAC does not check.
func Decrypt(file []byte, f Format, ids []age.Identity) ([]byte, error) {
	o, err := Open(file, f, ids)
	if err != nil {
		return nil, err
	}
	return o.Plaintext(), nil
}

// Recipients returns the age recipients a file is encrypted to, in file
// order, reading only its metadata (nothing is decrypted).
func Recipients(file []byte, f Format) ([]string, error) {
	_, m, err := loadEncrypted(f, file)
	if err != nil {
		return nil, err
	}
	return m.recipients(), nil
}

// File is an opened (decrypted and verified) sops file. It keeps the data
// key and the IVs of the values, so that Seal changes only what changed.
type File struct {
	format Format
	raw    []byte   // the file as read or last sealed
	enc    []branch // the encrypted documents, without metadata
	meta   *metadata
	key    []byte
	cipher *valueCipher
	plain  []byte
}

// Open decrypts file with the given identities and verifies every value and
// the MAC, like Decrypt, keeping what Seal needs.
func Open(file []byte, f Format, ids []age.Identity) (*File, error) {
	docs, m, err := loadEncrypted(f, file)
	if err != nil {
		return nil, err
	}
	key, err := unwrapKey(m, ids)
	if err != nil {
		return nil, err
	}
	c, err := newValueCipher(key, rand.Reader)
	if err != nil {
		return nil, err
	}
	enc := make([]branch, len(docs))
	for i, d := range docs {
		enc[i] = cloneValue(d).(branch)
	}
	mac, err := decryptTree(docs, m.rules, c)
	if err != nil {
		return nil, err
	}
	if err := checkMAC(m.mac, m.lastModified.Format(time.RFC3339), mac, c); err != nil {
		return nil, err
	}
	plain, err := emitPlain(f, docs)
	if err != nil {
		return nil, err
	}
	return &File{format: f, raw: slices.Clone(file), enc: enc, meta: m, key: key, cipher: c, plain: plain}, nil
}

// Plaintext returns the decrypted file as "sops decrypt" prints it: the raw
// bytes for Binary, the document re-rendered for JSON and YAML.
func (f *File) Plaintext() []byte { return slices.Clone(f.plain) }

// Recipients returns the age recipients of the file, in file order.
func (f *File) Recipients() []string { return f.meta.recipients() }

// Seal re-encrypts the file with new plaintext and returns the new file.
// The data key and recipients stay; a value that is unchanged at the same
// key path keeps its IV and so its ciphertext, as with "sops edit". If the
// plaintext is identical to the current one, the file is returned as is.
func (f *File) Seal(plaintext []byte, opts ...Option) ([]byte, error) {
	if bytes.Equal(plaintext, f.plain) {
		return slices.Clone(f.raw), nil
	}
	if f.meta.others > 0 {
		return nil, unsupported("re-encrypting a file that also has non-age keys")
	}
	docs, err := loadPlain(f.format, plaintext)
	if err != nil {
		return nil, err
	}
	m := *f.meta
	if newerVersion(Version, m.version) {
		m.version = Version // as sops edit does; a newer file keeps its version
	}
	m.suffixStated = true // sops writes back the rule it loaded
	out, err := seal(f.format, docs, &m, f.cipher, collect(opts))
	if err != nil {
		return nil, err
	}
	// Re-read what was written, which also stashes the new IVs for the
	// next Seal.
	enc, m2, err := loadEncrypted(f.format, out)
	if err != nil {
		return nil, fmt.Errorf("sops: internal error re-reading sealed file: %w", err)
	}
	check := make([]branch, len(enc))
	for i, d := range enc {
		check[i] = cloneValue(d).(branch)
	}
	if _, err := decryptTree(check, m2.rules, f.cipher); err != nil {
		return nil, fmt.Errorf("sops: internal error re-reading sealed file: %w", err)
	}
	f.raw, f.enc, f.meta, f.plain = out, enc, m2, slices.Clone(plaintext)
	return slices.Clone(out), nil
}

// UpdateKeys re-wraps the data key of file for a new set of recipients, as
// "sops updatekeys" does: the values, lastmodified and MAC are untouched and
// every recipient gets a fresh age stanza, in the order given. The file is
// opened and verified first, so ids must open it. If the set of recipients
// is already the wanted one, file is returned unchanged.
func UpdateKeys(file []byte, f Format, ids []age.Identity, recipients []string) ([]byte, error) {
	o, err := Open(file, f, ids)
	if err != nil {
		return nil, err
	}
	if len(recipients) == 0 {
		return nil, errors.New("sops: no recipients")
	}
	if sameSet(o.Recipients(), recipients) {
		return slices.Clone(file), nil
	}
	if o.meta.others > 0 {
		return nil, unsupported("updating keys of a file that also has non-age keys")
	}
	m := *o.meta
	m.suffixStated = true
	if m.age, err = wrapAll(o.key, recipients); err != nil {
		return nil, err
	}
	return emitEncrypted(f, o.enc, &m)
}

// newerVersion reports whether version a is newer than b (dotted
// numbers); an unreadable b counts as older.
func newerVersion(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var na, nb int
		if i < len(pa) {
			na, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			n, err := strconv.Atoi(pb[i])
			if err != nil {
				return true
			}
			nb = n
		}
		if na != nb {
			return na > nb
		}
	}
	return false
}

// sameSet reports whether a and b hold the same strings, ignoring order
// and repeats.
func sameSet(a, b []string) bool {
	sa, sb := slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b)))
	return slices.Equal(sa, sb)
}

func loadPlain(f Format, in []byte) ([]branch, error) {
	var docs []branch
	switch f {
	case Binary:
		return []branch{{{key: "data", value: string(in)}}}, nil
	case JSON:
		b, err := loadJSON(in)
		if err != nil {
			return nil, err
		}
		docs = []branch{b}
	case YAML:
		var err error
		if docs, err = loadYAML(in); err != nil {
			return nil, err
		}
		if len(docs) == 0 {
			return nil, errors.New("sops: the file is empty: it must contain at least one document")
		}
	default:
		return nil, fmt.Errorf("sops: unknown format %v", f)
	}
	if _, ok := field(docs[0], metaKey); ok {
		return nil, errors.New("sops: the plaintext has a top-level \"sops\" key: it is already encrypted, or the key must be renamed")
	}
	return docs, nil
}

func loadEncrypted(f Format, in []byte) ([]branch, *metadata, error) {
	var docs []branch
	switch f {
	case Binary, JSON:
		b, err := loadJSON(in)
		if err != nil {
			return nil, nil, err
		}
		docs = []branch{b}
	case YAML:
		var err error
		if docs, err = loadYAML(in); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, fmt.Errorf("sops: unknown format %v", f)
	}
	return splitMetadata(docs)
}

func emitEncrypted(f Format, docs []branch, m *metadata) ([]byte, error) {
	mb := m.toBranch(m.suffixStated)
	out := make([]branch, len(docs))
	for i, d := range docs {
		out[i] = append(slices.Clip(d), item{key: metaKey, value: mb})
	}
	if f == YAML {
		return emitYAML(out)
	}
	return emitJSON(out[0])
}

func emitPlain(f Format, docs []branch) ([]byte, error) {
	switch f {
	case Binary:
		v, _ := field(docs[0], "data")
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("sops: binary file has no string \"data\" value")
		}
		return []byte(s), nil
	case JSON:
		return emitJSON(docs[0])
	}
	return emitYAML(docs)
}
