package sops

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// JSON store: an object in document order. Numbers become int when they fit
// an int64 and float64 otherwise, as in sops. Output is compact JSON
// re-indented with tabs plus a final newline; scalars are encoded with
// encoding/json, which is what makes the escaping match sops.

func loadJSON(in []byte) (branch, error) {
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("sops: parsing JSON: %w", err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("sops: parsing JSON: the top level must be an object, found %v", t)
	}
	b, err := jsonObject(dec)
	if err != nil {
		return nil, fmt.Errorf("sops: parsing JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("sops: parsing JSON: trailing data after the top-level object")
	}
	return b, nil
}

func jsonObject(dec *json.Decoder) (branch, error) {
	b := branch{}
	for {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if t == json.Delim('}') {
			return b, nil
		}
		k, ok := t.(string)
		if !ok {
			return nil, fmt.Errorf("expected an object key, found %v", t)
		}
		v, err := jsonValue(dec)
		if err != nil {
			return nil, err
		}
		b = append(b, item{key: k, value: v})
	}
}

func jsonValue(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case json.Delim:
		switch t {
		case '{':
			return jsonObject(dec)
		case '[':
			l := []any{}
			for dec.More() {
				v, err := jsonValue(dec)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return int(i), nil
		}
		return t.Float64()
	}
	return t, nil
}

func emitJSON(b branch) ([]byte, error) {
	var buf bytes.Buffer
	if err := jsonEncode(&buf, b); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "\t"); err != nil {
		return nil, fmt.Errorf("sops: indenting JSON: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func jsonEncode(w *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case branch:
		w.WriteByte('{')
		first := true
		for _, it := range v {
			k, ok := it.key.(string)
			if !ok {
				continue // comments have no JSON form
			}
			if !first {
				w.WriteByte(',')
			}
			first = false
			kb, err := json.Marshal(k)
			if err != nil {
				return err
			}
			w.Write(kb)
			w.WriteString(": ")
			if err := jsonEncode(w, it.value); err != nil {
				return err
			}
		}
		w.WriteByte('}')
	case []any:
		w.WriteByte('[')
		first := true
		for _, e := range v {
			if _, ok := e.(comment); ok {
				continue
			}
			if !first {
				w.WriteByte(',')
			}
			first = false
			if err := jsonEncode(w, e); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("sops: encoding %T as JSON: %w", v, err)
		}
		w.Write(b)
	}
	return nil
}
