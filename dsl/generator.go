package dsl

// NeededFor says when a secret must exist on the machine.
type NeededFor string

// The moments clan can deploy a secret for.
const (
	ForPartitioning NeededFor = "partitioning"
	ForActivation   NeededFor = "activation"
	ForUsers        NeededFor = "users"
	ForServices     NeededFor = "services"
)

// PromptType is how a generator's prompt is asked.
type PromptType string

// The prompt types clan knows.
const (
	Line            PromptType = "line"
	Hidden          PromptType = "hidden"
	Multiline       PromptType = "multiline"
	MultilineHidden PromptType = "multiline-hidden"
)

// Generator is a clan vars generator: a script that writes files (secret or public) from
// prompts and other generators' files.
type Generator struct {
	Name          string
	Files         []*GenFile
	Prompts       []*Prompt
	Dependencies  []*Generator
	Script        string
	RuntimeInputs []Value // packages on the script's PATH
	Share         bool    // one value for all machines (vars/shared)
	Validation    Value   // null, or a scalar / attrs of scalars: a change forces regeneration
	Pos           Pos
}

// GenFile is one file a generator writes.
type GenFile struct {
	Name         string
	Secret       bool
	Deploy       bool
	Owner        string
	Group        string
	Mode         string
	NeededFor    NeededFor
	RestartUnits []string
	Pos          Pos
}

// Prompt is a value a generator asks for.
type Prompt struct {
	Name        string
	Description string
	Type        PromptType
	Persist     bool
	Pos         Pos
}

// GeneratorOption configures a [Generator].
type GeneratorOption interface{ applyGenerator(*Generator) }

type genFunc func(*Generator)

func (f genFunc) applyGenerator(g *Generator) { f(g) }

// FileOption configures a [GenFile].
type FileOption interface{ applyFile(*GenFile) }

type fileFunc func(*GenFile)

func (f fileFunc) applyFile(gf *GenFile) { f(gf) }

// SecretFile declares a secret file (encrypted, deployed, 0400 root by default).
func SecretFile(name string, opts ...FileOption) GeneratorOption {
	return addFile(name, true, caller(1, "SecretFile"), opts)
}

// PublicFile declares a public file (stored in clear as vars/…/value).
func PublicFile(name string, opts ...FileOption) GeneratorOption {
	return addFile(name, false, caller(1, "PublicFile"), opts)
}

func addFile(name string, secret bool, pos Pos, opts []FileOption) GeneratorOption {
	return genFunc(func(g *Generator) {
		f := &GenFile{Name: name, Secret: secret, Deploy: true, Owner: "root", Mode: "0400", NeededFor: ForServices, Pos: pos}
		for _, o := range opts {
			o.applyFile(f)
		}
		g.Files = append(g.Files, f)
	})
}

// Needed sets when the file must exist on the machine.
func Needed(n NeededFor) FileOption { return fileFunc(func(f *GenFile) { f.NeededFor = n }) }

// NotDeployed keeps the file off the machines (an input for other generators only).
func NotDeployed() FileOption { return fileFunc(func(f *GenFile) { f.Deploy = false }) }

// Owned sets the file's owner and group on the machine.
func Owned(owner, group string) FileOption {
	return fileFunc(func(f *GenFile) { f.Owner, f.Group = owner, group })
}

// Mode sets the file's mode (four octal digits).
func Mode(mode string) FileOption { return fileFunc(func(f *GenFile) { f.Mode = mode }) }

// RestartUnits restarts systemd units when the file changes (NixOS only).
func RestartUnits(units ...string) FileOption {
	return fileFunc(func(f *GenFile) { f.RestartUnits = append(f.RestartUnits, units...) })
}

// Ask declares a prompt.
func Ask(name, description string, t PromptType) GeneratorOption {
	pos := caller(1, "Ask")
	return genFunc(func(g *Generator) {
		g.Prompts = append(g.Prompts, &Prompt{Name: name, Description: description, Type: t, Pos: pos})
	})
}

// AskPersist declares a prompt whose answer is also stored as a secret file of the same name.
func AskPersist(name, description string, t PromptType) GeneratorOption {
	pos := caller(1, "AskPersist")
	return genFunc(func(g *Generator) {
		g.Prompts = append(g.Prompts, &Prompt{Name: name, Description: description, Type: t, Persist: true, Pos: pos})
	})
}

// DependsOn makes other generators' files available to the script as $in/<gen>/<file>.
func DependsOn(gs ...*Generator) GeneratorOption {
	return genFunc(func(g *Generator) { g.Dependencies = append(g.Dependencies, gs...) })
}

// Script sets the bash script; it writes every declared file into $out.
func Script(src string) GeneratorOption { return genFunc(func(g *Generator) { g.Script = src }) }

// RuntimeInputs puts packages on the script's PATH (with coreutils).
func RuntimeInputs(names ...string) GeneratorOption {
	pos := caller(1, "RuntimeInputs")
	return genFunc(func(g *Generator) {
		for _, n := range names {
			g.RuntimeInputs = append(g.RuntimeInputs, Value{PkgRef{Path: []string{n}, Pos: pos}})
		}
	})
}

// Shared generates the files once for all machines (vars/shared).
func Shared() GeneratorOption { return genFunc(func(g *Generator) { g.Share = true }) }

// Validation sets the generator's validation value; changing it forces regeneration.
func Validation(v Value) GeneratorOption { return genFunc(func(g *Generator) { g.Validation = v }) }

// Generator declares a vars generator.
func (f *Fleet) Generator(name string, opts ...GeneratorOption) *Generator {
	g := &Generator{Name: name, Pos: caller(1, "Generator")}
	for _, o := range opts {
		o.applyGenerator(g)
	}
	f.Generators = append(f.Generators, g)
	return g
}

// File returns the generator's file named name, or nil.
func (g *Generator) File(name string) *GenFile {
	for _, f := range g.Files {
		if f.Name == name {
			return f
		}
	}
	return nil
}
