// Command optgen writes typed Go bindings of Nix options from an options.json (the shape
// NixOS's nixosOptionsDoc writes). Run it through go generate in a bindings package:
//
//	//go:generate go run ../../internal/optgen -in ../optiondata/nixos.json -pkg nixos -class nixos -only ../optiondata/nixos.bindings.txt
//
// With -only, only the options under the prefixes the file lists get bindings (see
// ParsePrefixes); without it, every option in the data does. It replaces the package's
// zz_*.go files. The output depends only on the input: the same
// options.json gives the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/options/optiondata"
)

func main() {
	in := flag.String("in", "", "options.json to read")
	pkg := flag.String("pkg", "", "Go package name")
	class := flag.String("class", "", "nixos, darwin or homeManager")
	out := flag.String("out", ".", "directory to write")
	source := flag.String("source", "", "where the data came from (default: -in)")
	perFile := flag.Int("per-file", 250, "node types per file")
	only := flag.String("only", "", "file of option prefixes to generate bindings for (default: every option)")
	flag.Parse()
	if err := run(*in, *pkg, *class, *out, *source, *only, *perFile); err != nil {
		fmt.Fprintln(os.Stderr, "optgen:", err)
		os.Exit(1)
	}
}

func run(in, pkg, class, out, source, only string, perFile int) error {
	if in == "" || pkg == "" || class == "" {
		return fmt.Errorf("-in, -pkg and -class are required")
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	root, _, err := optiondata.ParseOptions(data)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if source == "" {
		source = filepath.ToSlash(in)
	}
	if only != "" {
		data, err := os.ReadFile(only)
		if err != nil {
			return err
		}
		prefixes, err := ParsePrefixes(data)
		if err != nil {
			return fmt.Errorf("%s: %w", only, err)
		}
		kept, unused := Prune(root, prefixes)
		if len(unused) > 0 {
			return fmt.Errorf("%s: prefixes selecting no option in %s: %s", only, in, strings.Join(unused, ", "))
		}
		source += fmt.Sprintf(" (bindings for the %d options under the prefixes in %s)", kept, filepath.ToSlash(filepath.Base(only)))
	}
	files, err := Generate(root, Config{Package: pkg, Class: class, Source: source, PerFile: perFile})
	if err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(out, "zz_*.go"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if !strings.HasPrefix(n, "zz_") {
			return fmt.Errorf("refusing to write %s", n)
		}
		if err := os.WriteFile(filepath.Join(out, n), files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}
