package sops

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The document tree mirrors the one sops builds: a branch is an ordered list
// of items whose key is a string or a comment; values are string, int,
// float64, bool, time.Time, []byte, nil, branch, []any or comment (comments
// appear as list elements too). Keeping comments as items is what lets YAML
// comments be encrypted and restored in place, as sops does.

// comment is a YAML comment line without its leading '#'.
type comment struct {
	text   string
	inline bool
}

// item is one entry of a branch.
type item struct {
	key   any // string or comment
	value any
}

// branch is a mapping, in document order.
type branch []item

// leafFunc transforms one leaf; path holds the map keys leading to it.
type leafFunc func(v any, path []string) (any, error)

// walkBranch applies f to every leaf of b in document order, replacing each
// leaf with f's result, like sops's Tree walk: comment keys are leaves of
// their branch's path, list elements share their list's path.
func walkBranch(b branch, path []string, f leafFunc) error {
	for i := range b {
		it := &b[i]
		if c, ok := it.key.(comment); ok {
			nv, err := f(c, path)
			if err != nil {
				return err
			}
			switch nv := nv.(type) {
			case comment:
				it.key = nv
			case string:
				it.key = comment{text: nv, inline: c.inline}
			default:
				return fmt.Errorf("sops: comment became %T", nv)
			}
			continue
		}
		key, ok := it.key.(string)
		if !ok {
			return fmt.Errorf("sops: non-string key %v (%T): only string keys are supported", it.key, it.key)
		}
		sub := make([]string, len(path)+1)
		copy(sub, path)
		sub[len(path)] = key
		nv, err := walkValue(it.value, sub, f)
		if err != nil {
			return err
		}
		it.value = nv
	}
	return nil
}

func walkValue(v any, path []string, f leafFunc) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case branch:
		return v, walkBranch(v, path, f)
	case []any:
		for i := range v {
			nv, err := walkValue(v[i], path, f)
			if err != nil {
				return nil, err
			}
			v[i] = nv
		}
		return v, nil
	case []byte:
		return f(string(v), path)
	case string, int, float64, bool, time.Time, comment:
		return f(v, path)
	default:
		return nil, fmt.Errorf("sops: cannot handle value of type %T at key path %q", v, aad(path))
	}
}

// aad is the additional data sops uses for a value: the key path joined
// with ':' plus a trailing ':' (so ":" for a top-level comment).
func aad(path []string) string {
	return strings.Join(path, ":") + ":"
}

// plainBytes is the byte form sops uses both as a value's plaintext and as
// its MAC input, with the type tag sops writes for it.
func plainBytes(v any) (data []byte, typ string, err error) {
	switch v := v.(type) {
	case string:
		return []byte(v), "str", nil
	case int:
		return []byte(strconv.Itoa(v)), "int", nil
	case float64:
		return []byte(strconv.FormatFloat(v, 'f', -1, 64)), "float", nil
	case bool:
		if v {
			return []byte("True"), "bool", nil
		}
		return []byte("False"), "bool", nil
	case time.Time:
		b, err := v.MarshalText()
		return b, "time", err
	case []byte:
		return v, "bytes", nil
	case comment:
		return []byte(v.text), "comment", nil
	}
	return nil, "", fmt.Errorf("unsupported value type %T", v)
}

// fromPlain is the inverse of plainBytes.
func fromPlain(b []byte, typ string) (any, error) {
	s := string(b)
	switch typ {
	case "str":
		return s, nil
	case "int":
		return strconv.Atoi(s)
	case "float":
		return strconv.ParseFloat(s, 64)
	case "bool":
		return strconv.ParseBool(s)
	case "bytes":
		return b, nil
	case "time":
		var t time.Time
		err := t.UnmarshalText(b)
		return t, err
	case "comment":
		return comment{text: s}, nil
	}
	return nil, fmt.Errorf("unknown value type %q", typ)
}

// cloneValue deep-copies a tree value, so a loaded tree can be walked
// (which rewrites it in place) more than once.
func cloneValue(v any) any {
	switch v := v.(type) {
	case branch:
		out := make(branch, len(v))
		for i, it := range v {
			out[i] = item{key: it.key, value: cloneValue(it.value)}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}
