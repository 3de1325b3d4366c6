package cuefleet

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"cuelang.org/go/cue"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// decoder turns the validated `fleet` value into dsl values. References are names (the
// schema has checked they exist); the decoder resolves each to the one Go pointer the fleet
// holds, so the compiler sees what the Go constructors would have built.
type decoder struct {
	idx *posIndex
	ds  compiler.Diagnostics

	machines   map[string]*dsl.Machine
	users      map[string]*dsl.User
	features   map[string]*dsl.Feature
	generators map[string]*dsl.Generator
	inputs     map[string]*dsl.Input
}

func (d *decoder) errorf(pos dsl.Pos, format string, args ...any) {
	d.ds = append(d.ds, compiler.Diagnostic{Severity: compiler.Error, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// pos is where v's field was written: its label in the author's file, else its nearest
// written ancestor's, else the position CUE has for the value.
func (d *decoder) pos(v cue.Value) dsl.Pos {
	var path []string
	for _, s := range v.Path().Selectors() {
		switch s.LabelType() {
		case cue.StringLabel:
			path = append(path, s.Unquoted())
		case cue.IndexLabel:
			path = append(path, strconv.Itoa(s.Index()))
		default:
			path = append(path, s.String())
		}
	}
	if p, ok := d.idx.lookup(path); ok {
		return toPos(p)
	}
	return toPos(v.Pos())
}

func field(v cue.Value, name string) cue.Value { return v.LookupPath(cue.MakePath(cue.Str(name))) }

func str(v cue.Value, name string) string {
	s, _ := field(v, name).String()
	return s
}

func boolean(v cue.Value, name string) bool {
	b, _ := field(v, name).Bool()
	return b
}

// each calls fn for every regular field of the struct at v.name, in order.
func each(v cue.Value, name string, fn func(label string, x cue.Value)) {
	x := field(v, name)
	if !x.Exists() {
		return
	}
	it, err := x.Fields()
	if err != nil {
		return
	}
	for it.Next() {
		fn(it.Selector().Unquoted(), it.Value())
	}
}

// elems calls fn for every element of the list at v.name.
func elems(v cue.Value, name string, fn func(x cue.Value)) {
	x := field(v, name)
	if !x.Exists() {
		return
	}
	it, err := x.List()
	if err != nil {
		return
	}
	for it.Next() {
		fn(it.Value())
	}
}

// strMap is the struct of strings at v.name, or nil when it is absent or empty.
func strMap(v cue.Value, name string) map[string]string {
	var out map[string]string
	each(v, name, func(k string, x cue.Value) {
		if out == nil {
			out = map[string]string{}
		}
		out[k], _ = x.String()
	})
	return out
}

func strings_(v cue.Value, name string) []string {
	var out []string
	elems(v, name, func(x cue.Value) {
		s, _ := x.String()
		out = append(out, s)
	})
	return out
}

func (d *decoder) fleet(v cue.Value) *dsl.Fleet {
	f := &dsl.Fleet{
		Name:        str(v, "name"),
		Domain:      str(v, "domain"),
		Description: str(v, "description"),
		Cachix:      str(v, "cachix"),
		Pos:         d.pos(v),
	}
	f.HotfixesReviewed = d.date(v, "hotfixesReviewed")
	d.machines = map[string]*dsl.Machine{}
	d.users = map[string]*dsl.User{}
	d.features = map[string]*dsl.Feature{}
	d.generators = map[string]*dsl.Generator{}
	d.inputs = map[string]*dsl.Input{}

	// Everything that can be referred to exists before anything refers to it.
	each(v, "machines", func(n string, x cue.Value) {
		m := &dsl.Machine{Name: n, Pos: d.pos(x)}
		d.machines[n] = m
		f.Machines = append(f.Machines, m)
	})
	each(v, "users", func(n string, x cue.Value) {
		u := &dsl.User{Name: n, Pos: d.pos(x)}
		d.users[n] = u
		f.Users = append(f.Users, u)
	})
	each(v, "features", func(n string, x cue.Value) {
		ft := &dsl.Feature{Name: n, Pos: d.pos(x)}
		d.features[n] = ft
		f.Features = append(f.Features, ft)
	})
	each(v, "generators", func(n string, x cue.Value) {
		g := &dsl.Generator{Name: n, Pos: d.pos(x)}
		d.generators[n] = g
		f.Generators = append(f.Generators, g)
	})
	each(v, "inputs", func(n string, x cue.Value) {
		in := &dsl.Input{Name: n, Pos: d.pos(x)}
		d.inputs[n] = in
		f.Inputs = append(f.Inputs, in)
	})

	elems(v, "tags", func(x cue.Value) {
		s, _ := x.String()
		f.Tags = append(f.Tags, dsl.Tag{Name: s, Pos: d.pos(x)})
	})
	elems(v, "caches", func(x cue.Value) {
		f.Caches = append(f.Caches, &dsl.Cache{URL: str(x, "url"), PublicKey: str(x, "publicKey"), Pos: d.pos(x)})
	})
	each(v, "channels", func(role string, x cue.Value) {
		url, _ := x.String()
		f.Channels = append(f.Channels, &dsl.Channel{Role: dsl.ChannelRole(role), URL: url, Pos: d.pos(x)})
	})
	each(v, "inputs", func(n string, x cue.Value) { d.input(d.inputs[n], x) })
	each(v, "generators", func(n string, x cue.Value) { d.generator(d.generators[n], x) })
	each(v, "features", func(n string, x cue.Value) { d.feature(d.features[n], x) })
	each(v, "users", func(n string, x cue.Value) { d.user(d.users[n], x) })
	each(v, "machines", func(n string, x cue.Value) { d.machine(d.machines[n], x) })
	each(v, "instances", func(n string, x cue.Value) { f.Instances = append(f.Instances, d.instance(n, x)) })
	elems(v, "hotfixes", func(x cue.Value) { f.Hotfixes = append(f.Hotfixes, d.hotfix(x)) })
	elems(v, "patches", func(x cue.Value) {
		f.Patches = append(f.Patches, &dsl.Patch{URL: str(x, "url"), Hash: str(x, "hash"), Reason: str(x, "reason"), Pos: d.pos(x)})
	})
	elems(v, "overrides", func(x cue.Value) { f.Overrides = append(f.Overrides, d.override(x)) })
	elems(v, "phases", func(x cue.Value) {
		p := &dsl.Phase{Name: str(x, "name"), Pos: d.pos(x)}
		elems(x, "machines", func(m cue.Value) { p.Machines = append(p.Machines, d.machineRef(m)) })
		f.Phases = append(f.Phases, p)
	})
	return f
}

// The references the schema has already checked; a miss here is a schema bug, reported
// rather than turned into a nil pointer.

func (d *decoder) machineRef(x cue.Value) *dsl.Machine {
	s, _ := x.String()
	return ref(d, d.machines, "machine", s, x)
}

func ref[T any](d *decoder, m map[string]*T, kind, name string, at cue.Value) *T {
	t, ok := m[name]
	if !ok {
		d.errorf(d.pos(at), "unknown %s %q", kind, name)
	}
	return t
}

func (d *decoder) input(in *dsl.Input, x cue.Value) {
	in.URL = str(x, "url")
	in.Flake = boolean(x, "flake")
	each(x, "follows", func(k string, y cue.Value) {
		if in.Follows == nil {
			in.Follows = map[string]string{}
		}
		in.Follows[k], _ = y.String()
	})
}

func (d *decoder) generator(g *dsl.Generator, x cue.Value) {
	each(x, "files", func(n string, y cue.Value) {
		g.Files = append(g.Files, &dsl.GenFile{
			Name:         n,
			Secret:       boolean(y, "secret"),
			Deploy:       boolean(y, "deploy"),
			Owner:        str(y, "owner"),
			Group:        str(y, "group"),
			Mode:         str(y, "mode"),
			NeededFor:    dsl.NeededFor(str(y, "neededFor")),
			RestartUnits: strings_(y, "restartUnits"),
			Pos:          d.pos(y),
		})
	})
	each(x, "prompts", func(n string, y cue.Value) {
		g.Prompts = append(g.Prompts, &dsl.Prompt{
			Name:        n,
			Description: str(y, "description"),
			Type:        dsl.PromptType(str(y, "type")),
			Persist:     boolean(y, "persist"),
			Pos:         d.pos(y),
		})
	})
	elems(x, "dependencies", func(y cue.Value) {
		s, _ := y.String()
		g.Dependencies = append(g.Dependencies, ref(d, d.generators, "generator", s, y))
	})
	g.Script = str(x, "script")
	elems(x, "runtimeInputs", func(y cue.Value) {
		if s, err := y.String(); err == nil {
			// As dsl.RuntimeInputs: a name, not an attribute path.
			g.RuntimeInputs = append(g.RuntimeInputs, dsl.PkgRef{Path: []string{s}, Pos: d.pos(y)}.Value())
			return
		}
		g.RuntimeInputs = append(g.RuntimeInputs, d.value(y))
	})
	g.Share = boolean(x, "share")
	g.Validation = d.value(field(x, "validation"))
}

func (d *decoder) feature(ft *dsl.Feature, x cue.Value) {
	ft.Description = str(x, "description")
	ft.NixOS = d.part(x, "nixos", dsl.NixOS)
	ft.Darwin = d.part(x, "darwin", dsl.Darwin)
	ft.Home = d.part(x, "homeManager", dsl.HomeManager)
}

func (d *decoder) part(x cue.Value, name string, class dsl.Class) *dsl.Part {
	y := field(x, name)
	if !y.Exists() {
		return nil
	}
	return &dsl.Part{Class: class, Items: d.items(y), Pos: d.pos(y)}
}

// items decodes a module's items in the fixed order the schema documents: imports,
// settings (in field order), packages, generators, casks.
func (d *decoder) items(x cue.Value) []dsl.Item {
	var items []dsl.Item
	if y := field(x, "imports"); hasElems(y) {
		il := dsl.ImportList{Pos: d.pos(y)}
		elems(x, "imports", func(z cue.Value) { il.Modules = append(il.Modules, d.value(z)) })
		items = append(items, il)
	}
	each(x, "settings", func(key string, z cue.Value) {
		path, err := splitOptionPath(key)
		if err != nil {
			d.errorf(d.pos(z), "%v", err)
			return
		}
		items = append(items, dsl.Setting{Path: path, Value: d.value(z), Pos: d.pos(z)})
	})
	if y := field(x, "packages"); hasElems(y) {
		pl := dsl.PackageList{Pos: d.pos(y)}
		elems(x, "packages", func(z cue.Value) {
			if s, err := z.String(); err == nil {
				pl.Packages = append(pl.Packages, dsl.PkgRef{Path: splitDots(s), Pos: d.pos(z)}.Value())
				return
			}
			pl.Packages = append(pl.Packages, d.value(z))
		})
		items = append(items, pl)
	}
	if y := field(x, "generators"); hasElems(y) {
		gl := dsl.GeneratorList{Pos: d.pos(y)}
		elems(x, "generators", func(z cue.Value) {
			s, _ := z.String()
			gl.Generators = append(gl.Generators, ref(d, d.generators, "generator", s, z))
		})
		items = append(items, gl)
	}
	if y := field(x, "casks"); hasElems(y) {
		items = append(items, dsl.CaskList{Casks: strings_(x, "casks"), Pos: d.pos(y)})
	}
	return items
}

func hasElems(v cue.Value) bool {
	n, err := v.Len().Int64()
	return v.Exists() && err == nil && n > 0
}

func (d *decoder) user(u *dsl.User, x cue.Value) {
	uid, _ := field(x, "uid").Int64()
	u.UID = int(uid)
	u.Shell = str(x, "shell")
	u.SSHKeys = strings_(x, "sshKeys")
	u.Groups = strings_(x, "groups")
	u.Admin = boolean(x, "admin")
	elems(x, "home", func(y cue.Value) {
		s, _ := y.String()
		u.Home = append(u.Home, ref(d, d.features, "feature", s, y))
	})
	u.Email = str(x, "email")
	u.Full = str(x, "fullName")
	u.HomeStateVersion = str(x, "homeStateVersion")
	u.AgeKeys = strings_(x, "ageKeys")
}

func (d *decoder) machine(m *dsl.Machine, x cue.Value) {
	m.Class = dsl.Class(str(x, "class"))
	m.System = dsl.System(str(x, "system"))
	elems(x, "tags", func(y cue.Value) {
		s, _ := y.String()
		m.Tags = append(m.Tags, dsl.Tag{Name: s, Pos: d.pos(y)})
	})
	m.Description = str(x, "description")
	m.DeployTarget = str(x, "deployTarget")
	m.StateVersion = str(x, "stateVersion")
	m.AlwaysOn = boolean(x, "alwaysOn")
	m.Primary = boolean(x, "primary")
	if h := field(x, "hosting"); h.Exists() {
		m.Hosting = &dsl.Hosting{Provider: str(h, "provider"), ServerType: str(h, "serverType"),
			Location: str(h, "location"), Image: str(h, "image")}
	}
	if k := field(x, "disk"); k.Exists() {
		disk := &dsl.Disk{Device: str(k, "device"), Boot: str(k, "boot"), ESPSize: str(k, "espSize"), Swap: str(k, "swap"),
			LUKSFile: str(k, "luksFile"), Format: str(k, "format")}
		disk.Pool, disk.VolumeGroup = str(k, "pool"), str(k, "volumeGroup")
		disk.PoolOptions = strMap(k, "poolOptions")
		elems(k, "datasets", func(y cue.Value) {
			disk.Datasets = append(disk.Datasets, dsl.Dataset{Name: str(y, "name"), Mountpoint: str(y, "mountpoint"), Options: strMap(y, "options")})
		})
		elems(k, "volumes", func(y cue.Value) {
			disk.Volumes = append(disk.Volumes, dsl.Volume{Name: str(y, "name"), Size: str(y, "size"), Format: str(y, "format"), Mountpoint: str(y, "mountpoint")})
		})
		if l := field(k, "luks"); l.Exists() {
			s, _ := l.String()
			disk.LUKS = ref(d, d.generators, "generator", s, l)
		}
		m.Disk = disk
	}
	elems(x, "features", func(y cue.Value) {
		s, _ := y.String()
		m.Features = append(m.Features, ref(d, d.features, "feature", s, y))
	})
	elems(x, "users", func(y cue.Value) {
		s, _ := y.String()
		m.Users = append(m.Users, ref(d, d.users, "user", s, y))
	})
	if c := field(x, "config"); c.Exists() {
		m.Config = d.items(c)
	}
	if z := field(x, "zerotier"); z.Exists() {
		m.Zerotier = dsl.ZerotierMember{NodeID: str(z, "nodeID"), IP: str(z, "ip")}
	}
	m.HostKey = str(x, "hostKey")
}

// generated holds the darwin implementations the dsl's typed constructors set by themselves,
// taken from the constructors so the two front-ends cannot drift apart.
var generated = sync.OnceValues(func() (zerotierHomebrew, usersDefault *dsl.Feature) {
	f := dsl.New("probe")
	m := f.NixOS("probe")
	zerotierHomebrew = f.Zerotier("probe", m, dsl.DarwinViaHomebrew()).DarwinImpl
	usersDefault = f.UsersService("probe", f.User("probe"), []dsl.Member{m}).DarwinImpl
	return zerotierHomebrew, usersDefault
})

func (d *decoder) instance(name string, x cue.Value) *dsl.Instance {
	i := &dsl.Instance{Name: name, Service: str(x, "service"), Input: str(x, "input"), Pos: d.pos(x)}
	each(x, "roles", func(rn string, y cue.Value) {
		r := &dsl.Role{Name: rn, Pos: d.pos(y)}
		each(y, "machines", func(mn string, z cue.Value) {
			m := ref(d, d.machines, "machine", mn, z)
			r.Machines = append(r.Machines, m)
			if s := field(z, "settings"); s.Exists() {
				r.PerMachine = append(r.PerMachine, dsl.MachineSettings{Machine: m, Settings: d.value(s), Pos: d.pos(z)})
			}
		})
		elems(y, "tags", func(z cue.Value) {
			s, _ := z.String()
			r.Tags = append(r.Tags, dsl.Tag{Name: s, Pos: d.pos(z)})
		})
		if s := field(y, "settings"); s.Exists() {
			r.Settings = d.value(s)
		}
		i.Roles = append(i.Roles, r)
	})
	zt, users := generated()
	switch {
	case field(x, "darwinImpl").Exists():
		s, _ := field(x, "darwinImpl").String()
		i.DarwinImpl = ref(d, d.features, "feature", s, field(x, "darwinImpl"))
	case i.Input == "" && i.Service == "zerotier" && boolean(x, "darwinViaHomebrew"):
		i.DarwinImpl = zt
	case i.Input == "" && i.Service == "users":
		i.DarwinImpl = users
	}
	return i
}

func (d *decoder) date(x cue.Value, name string) dsl.Date {
	y := field(x, name)
	if !y.Exists() {
		return dsl.Date{}
	}
	s, _ := y.String()
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		d.errorf(d.pos(y), "%s: %q is not a date (YYYY-MM-DD)", name, s)
		return dsl.Date{}
	}
	return dsl.Day(t.Year(), t.Month(), t.Day())
}

func platforms(x cue.Value) []dsl.Platform {
	var ps []dsl.Platform
	for _, s := range strings_(x, "platforms") {
		ps = append(ps, dsl.Platform(s))
	}
	return ps
}

func (d *decoder) hotfix(x cue.Value) *dsl.Hotfix {
	return &dsl.Hotfix{
		Package:    str(x, "package"),
		From:       dsl.PkgSet(str(x, "from")),
		Platforms:  platforms(x),
		Reason:     str(x, "reason"),
		Tracking:   strings_(x, "tracking"),
		Added:      d.date(x, "added"),
		RemoveWhen: str(x, "removeWhen"),
		RemoveBy:   d.date(x, "removeBy"),
		Pos:        d.pos(x),
	}
}

func (d *decoder) override(x cue.Value) *dsl.Override {
	return &dsl.Override{
		Package:   str(x, "package"),
		Platforms: platforms(x),
		Attrs:     d.value(field(x, "attrs")),
		Reason:    str(x, "reason"),
		Tracking:  strings_(x, "tracking"),
		Added:     d.date(x, "added"),
		Pos:       d.pos(x),
	}
}
