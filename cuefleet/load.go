package cuefleet

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// Load reads the fleet at path (one .cue file, or a directory whose .cue files form one
// package), unifies it with the schema, checks that every field is concrete and decodes the
// value of its `fleet` field. On any error the fleet is nil and the diagnostics say why,
// every one at the CUE file's file:line:col; otherwise the diagnostics are empty and the
// fleet is ready for compiler.Compile.
func Load(path string) (*dsl.Fleet, compiler.Diagnostics) {
	files, err := cueFiles(path)
	if err != nil {
		return nil, compiler.Diagnostics{{Severity: compiler.Error, Pos: dsl.Pos{File: path}, Message: err.Error()}}
	}
	srcs := make(map[string][]byte, len(files))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, compiler.Diagnostics{{Severity: compiler.Error, Pos: dsl.Pos{File: name}, Message: err.Error()}}
		}
		srcs[name] = data
	}
	return loadSources(files, srcs)
}

// cueFiles lists the .cue files at path, sorted.
func cueFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".cue") && !strings.HasPrefix(e.Name(), ".") {
			files = append(files, filepath.Join(path, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no .cue files in %s", path)
	}
	slices.Sort(files)
	return files, nil
}

// loadSources does Load's work on sources already read (names in order, name -> source).
func loadSources(names []string, srcs map[string][]byte) (*dsl.Fleet, compiler.Diagnostics) {
	var ds compiler.Diagnostics
	var parsed []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(name, srcs[name], parser.ParseComments)
		if err != nil {
			ds = append(ds, diagnostics(err, nil)...)
			continue
		}
		parsed = append(parsed, f)
	}
	if len(ds) > 0 {
		return nil, ds.Sort()
	}
	pkg := ""
	for _, f := range parsed {
		if n := f.PackageName(); n != "" {
			pkg = n
			break
		}
	}
	sf, err := parser.ParseFile(SchemaFile, schema, parser.ParseComments)
	if err != nil { // the embedded schema parses: TestSchemaParses
		panic(err)
	}
	setPackage(sf, pkg)

	idx := newPosIndex(parsed)
	inst := build.NewContext().NewInstance(commonDir(names), nil)
	for _, f := range append(parsed, sf) {
		if err := inst.AddSyntax(f); err != nil {
			ds = append(ds, diagnostics(err, idx)...)
		}
	}
	if len(ds) > 0 {
		return nil, ds.Sort()
	}
	ctx := cuecontext.New()
	v := ctx.BuildInstance(inst)
	fv := v.LookupPath(cue.MakePath(cue.Str("fleet")))
	errs := validate(fv)
	if len(errs) == 0 && v.Err() != nil {
		errs = []error{v.Err()}
	}
	if len(errs) > 0 {
		for _, err := range errs {
			ds = append(ds, diagnostics(err, idx)...)
		}
		return nil, ds.Sort()
	}
	d := &decoder{idx: idx}
	f := d.fleet(fv)
	if len(d.ds) > 0 {
		return nil, d.ds.Sort()
	}
	return f, nil
}

// validate checks that v is concrete and valid, and returns every error. CUE stops at the
// first error of a struct in some cases (a field not allowed hides its siblings' errors), so
// validate descends into the fields of a struct that has errors and reports theirs, each
// field checked on its own; a struct whose fields are all valid reports its own errors.
func validate(v cue.Value) []error {
	err := v.Validate(cue.Concrete(true), cue.Final())
	if err == nil {
		return nil
	}
	var errs []error
	switch v.IncompleteKind() {
	case cue.StructKind:
		// Optional fields too, for the required ones (!) among them: CUE names only one
		// missing required field per struct.
		if it, ierr := v.Fields(cue.Optional(true)); ierr == nil {
			for it.Next() {
				if it.FieldType()&cue.OptionalConstraint != 0 {
					continue
				}
				if it.FieldType()&cue.RequiredConstraint != 0 && !it.Value().IsConcrete() {
					errs = append(errs, missingField{path: append(cuePath(v), cue.MakePath(cue.Str(it.Selector().Unquoted())).String())})
					continue
				}
				errs = append(errs, validate(it.Value())...)
			}
		}
	case cue.ListKind:
		if it, ierr := v.List(); ierr == nil {
			for it.Next() {
				errs = append(errs, validate(it.Value())...)
			}
		}
	}
	if len(errs) == 0 {
		return []error{err}
	}
	return append(errs, err)
}

// cuePath is v's path as CUE errors spell it.
func cuePath(v cue.Value) []string {
	var path []string
	for _, s := range v.Path().Selectors() {
		path = append(path, s.String())
	}
	return path
}

// missingField is a required field with no value, as CUE reports it (which it does for one
// such field per struct only).
type missingField struct{ path []string }

var _ errors.Error = missingField{}

func (e missingField) Position() token.Pos         { return token.NoPos }
func (e missingField) InputPositions() []token.Pos { return nil }
func (e missingField) Path() []string              { return e.path }
func (e missingField) Msg() (string, []any)        { return "field is required but not present", nil }
func (e missingField) Error() string {
	return strings.Join(e.path, ".") + ": field is required but not present"
}

// setPackage gives the schema file the author's package name (none when they use none).
func setPackage(f *ast.File, name string) {
	for i, decl := range f.Decls {
		p, ok := decl.(*ast.Package)
		if !ok {
			continue
		}
		if name == "" {
			f.Decls = slices.Delete(f.Decls, i, i+1)
		} else {
			p.Name = ast.NewIdent(name)
		}
		return
	}
}

func commonDir(names []string) string {
	if len(names) == 0 {
		return "."
	}
	return filepath.Dir(names[0])
}
