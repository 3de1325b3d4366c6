package compiler_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// src turns fuzz bytes into choices; past the end every choice is 0.
type src struct {
	b []byte
	i int
}

func (s *src) next() byte {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return s.b[s.i-1]
}

func (s *src) done() bool { return s.i >= len(s.b) }

func (s *src) intn(n int) int {
	if n <= 0 {
		return 0
	}
	return int(s.next()) % n
}

func (s *src) bool() bool { return s.next()&1 == 1 }

func pick[T any](s *src, xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return xs[s.intn(len(xs))]
}

var fuzzNames = []string{
	"web", "mac", "a", "b", "zt", "sshd", "all", "nixos", "darwin", "", "Web", "a-", "-a", "a_b", "x/y", "..", ".",
	"peer", "controller", "moon", "server", "client", "default", "peers", "héllo", "a b", strings.Repeat("n", 70),
	"root", "alice", "laptop", "vps", "0", "key", "token", "psk",
}

func (s *src) name() string {
	if s.intn(8) == 0 { // a raw string from the input
		n := s.intn(12)
		var b []byte
		for range n {
			b = append(b, s.next())
		}
		return string(b)
	}
	return pick(s, fuzzNames)
}

var fuzzScripts = []string{
	"", `echo > "$out/key"`, "if true; then", "echo $(", "for x in; do", "cat <<EOF\nx\nEOF\n", "echo 'x", "a=( 1 2 ", "f() { :; }; f",
	"\x00\xff", "[[ -f x ]] && echo", "case $x in a) ;; esac",
}

var fuzzKeys = []string{sshKey, "ssh-ed25519 AAAA", "", "garbage", "ssh-rsa AAAAB3NzaC1yc2E"}

type world struct {
	s     *src
	f     *dsl.Fleet
	other *dsl.Fleet
	ms    []*dsl.Machine
	tags  []dsl.Tag
	fts   []*dsl.Feature
	gens  []*dsl.Generator
	users []*dsl.User
}

func (w *world) machine() *dsl.Machine {
	switch w.s.intn(8) {
	case 0:
		return nil
	case 1:
		return w.other.NixOS(w.s.name())
	}
	return pick(w.s, w.ms)
}

func (w *world) generator() *dsl.Generator {
	switch w.s.intn(8) {
	case 0:
		return nil
	case 1:
		return w.other.Generator(w.s.name())
	}
	return pick(w.s, w.gens)
}

func (w *world) feature() *dsl.Feature {
	switch w.s.intn(8) {
	case 0:
		return nil
	case 1:
		return w.other.Feature(w.s.name(), "")
	}
	return pick(w.s, w.fts)
}

func (w *world) tag() dsl.Tag {
	switch w.s.intn(6) {
	case 0:
		return dsl.Tag{Name: w.s.name()}
	case 1:
		return pick(w.s, []dsl.Tag{dsl.All, dsl.NixOSTag, dsl.DarwinTag})
	}
	if len(w.tags) == 0 {
		return dsl.All
	}
	return pick(w.s, w.tags)
}

func (w *world) members() []dsl.Member {
	var ms []dsl.Member
	for range w.s.intn(4) {
		if w.s.bool() {
			ms = append(ms, w.machine())
		} else {
			ms = append(ms, w.tag())
		}
	}
	return ms
}

func (w *world) value(depth int) dsl.Value {
	s := w.s
	switch s.intn(14) {
	case 0:
		return dsl.Value{}
	case 1:
		return dsl.ValueOf(s.bool())
	case 2:
		return dsl.ValueOf(int(int8(s.next())) * 1000)
	case 3:
		return dsl.ValueOf(pick(s, []float64{0.5, math.NaN(), math.Inf(1)}))
	case 4:
		return dsl.ValueOf(s.name())
	case 5:
		return dsl.ValueOf([]string{s.name(), pick(s, fuzzKeys)})
	case 6:
		return dsl.PkgFrom(pick(s, []dsl.PkgSet{dsl.Default, dsl.Stable, dsl.Unstable, dsl.Patched, "nightly"}), s.name())
	case 7:
		return dsl.SecretPath(w.generator(), s.name())
	case 8:
		return dsl.PublicValue(w.generator(), s.name())
	case 9:
		return dsl.Raw(s.name())
	case 10:
		return dsl.ValueOf(map[string]string{s.name(): pick(s, fuzzKeys)})
	}
	if depth > 3 {
		return dsl.ValueOf(s.name())
	}
	var kvs []dsl.KV
	for range s.intn(4) {
		kvs = append(kvs, dsl.KV{Key: pick(s, []string{s.name(), "public", "stableEndpoints", "authorizedKeys", "certificate", "enable", "user", "host", "port"}), Value: w.value(depth + 1)})
	}
	if s.bool() {
		return dsl.List(w.value(depth+1), w.value(depth+1))
	}
	return dsl.Attrs(kvs...)
}

func (w *world) items() []dsl.AnyItem {
	var its []dsl.AnyItem
	for range w.s.intn(4) {
		switch w.s.intn(5) {
		case 0:
			its = append(its, dsl.Set(w.s.name()+"."+w.s.name(), w.value(0)))
		case 1:
			its = append(its, dsl.Packages(w.s.name()))
		case 2:
			its = append(its, dsl.Generators(w.generator()))
		case 3:
			its = append(its, dsl.Imports(w.value(0)))
		default:
			its = append(its, dsl.PackageValues(w.value(0)))
		}
	}
	return its
}

func nixosItems(its []dsl.AnyItem) []dsl.NixOSItem {
	out := make([]dsl.NixOSItem, len(its))
	for i, it := range its {
		out[i] = it
	}
	return out
}

func darwinItems(its []dsl.AnyItem) []dsl.DarwinItem {
	out := make([]dsl.DarwinItem, len(its))
	for i, it := range its {
		out[i] = it
	}
	return out
}

func homeItems(its []dsl.AnyItem) []dsl.HomeItem {
	out := make([]dsl.HomeItem, len(its))
	for i, it := range its {
		out[i] = it
	}
	return out
}

func (w *world) date() dsl.Date {
	if w.s.intn(4) == 0 {
		return dsl.Date{}
	}
	return dsl.Day(2024+w.s.intn(3), time.Month(w.s.intn(14)), w.s.intn(33))
}

func (w *world) platforms() []dsl.Platform {
	var ps []dsl.Platform
	for range w.s.intn(3) {
		ps = append(ps, pick(w.s, []dsl.Platform{dsl.AllPlatforms, dsl.DarwinOS, dsl.LinuxOS, "x86_64-linux", "aarch64-darwin", "aarch64-linux", "plan9"}))
	}
	return ps
}

// build makes a random fleet: valid and invalid names, references to nothing and to other
// fleets, duplicate pointers, cycles, broken scripts and settings of every kind.
func build(data []byte) *dsl.Fleet {
	s := &src{b: data}
	w := &world{s: s, f: dsl.New(s.name(), dsl.Domain(s.name())), other: dsl.New("other")}
	f := w.f
	for steps := 0; !s.done() && steps < 200; steps++ {
		switch s.intn(22) {
		case 0:
			opts := []dsl.NixOSOption{dsl.StateVersion(pick(s, []string{"", "25.05", "6", "x"})), dsl.Tags(w.tag()),
				dsl.WithFeatures(w.feature()), dsl.WithUsers(pick(s, w.users)), dsl.NixOSConfig(nixosItems(w.items())...),
				dsl.OnSystem(pick(s, []dsl.System{dsl.X86_64Linux, dsl.AArch64Linux, dsl.AArch64Darwin, "riscv"}))}
			if s.bool() {
				opts = append(opts, dsl.AlwaysOn())
			}
			if s.intn(4) == 0 {
				opts = append(opts, dsl.Primary())
			}
			if s.intn(4) == 0 {
				opts = append(opts, dsl.DiskLayout(dsl.Disk{Device: pick(s, []string{"/dev/sda", "sda", "/dev/../x"}), LUKS: w.generator(), LUKSFile: s.name(), Format: s.name()}))
			}
			w.ms = append(w.ms, f.NixOS(s.name(), opts...))
		case 1:
			opts := []dsl.DarwinOption{dsl.StateVersion(pick(s, []string{"", "6", "25.05"})), dsl.Tags(w.tag()),
				dsl.WithFeatures(w.feature()), dsl.WithUsers(pick(s, w.users)), dsl.DarwinConfig(append(darwinItems(w.items()), dsl.Casks(s.name()))...),
				dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: pick(s, []string{"", "0123456789", "xyz"}), IP: pick(s, []string{"", "fd00::1", "1.2.3.4", "::ffff:1.2.3.4"})})}
			if s.intn(4) == 0 {
				opts = append(opts, dsl.Primary())
			}
			w.ms = append(w.ms, f.Darwin(s.name(), opts...))
		case 2:
			w.tags = append(w.tags, f.Tag(s.name()))
		case 3:
			w.users = append(w.users, f.User(s.name(), dsl.UID(pick(s, []int{0, 1000, 1000, 1001, -1})), dsl.AuthorizedKeys(pick(s, fuzzKeys)), dsl.HomeFeatures(w.feature())))
		case 4:
			var parts []dsl.FeaturePart
			for range s.intn(4) {
				switch s.intn(3) {
				case 0:
					parts = append(parts, dsl.NixOSPart(nixosItems(w.items())...))
				case 1:
					parts = append(parts, dsl.DarwinPart(darwinItems(w.items())...))
				default:
					parts = append(parts, dsl.HomePart(homeItems(w.items())...))
				}
			}
			w.fts = append(w.fts, f.Feature(s.name(), "", parts...))
		case 5:
			opts := []dsl.GeneratorOption{dsl.Script(pick(s, fuzzScripts)), dsl.DependsOn(w.generator()), dsl.Validation(w.value(0))}
			for range s.intn(3) {
				fo := []dsl.FileOption{dsl.Mode(pick(s, []string{"0400", "644", "0644"})), dsl.Needed(pick(s, []dsl.NeededFor{dsl.ForServices, dsl.ForPartitioning, "boot"}))}
				if s.bool() {
					fo = append(fo, dsl.RestartUnits("x.service"), dsl.Owned(s.name(), s.name()))
				}
				if s.bool() {
					opts = append(opts, dsl.SecretFile(s.name(), fo...))
				} else {
					opts = append(opts, dsl.PublicFile(s.name(), fo...))
				}
			}
			if s.bool() {
				opts = append(opts, dsl.Ask(s.name(), "", pick(s, []dsl.PromptType{dsl.Line, dsl.Hidden, "", "secret"})))
			}
			if s.bool() {
				opts = append(opts, dsl.Shared())
			}
			w.gens = append(w.gens, f.Generator(s.name(), opts...))
		case 6:
			opts := []dsl.ZerotierOption{dsl.Peers(w.members()...)}
			if s.bool() {
				opts = append(opts, dsl.Moon(w.machine(), pick(s, []string{"", "1.2.3.4"})))
			}
			if s.bool() {
				opts = append(opts, dsl.DarwinViaHomebrew(), dsl.PublicNetwork())
			}
			f.Zerotier(s.name(), w.machine(), opts...)
		case 7:
			f.SSHD(s.name(), dsl.Servers(w.members()...), dsl.Clients(w.members()...), dsl.RootKeys(map[string]string{s.name(): pick(s, fuzzKeys)}), dsl.SSHDOnDarwinVia(w.feature()))
		case 8:
			u := pick(s, w.users)
			if u == nil {
				u = f.User(s.name())
			}
			f.UsersService(s.name(), u, w.members(), dsl.NoPrompt(), dsl.UserGroups(s.name()))
		case 9:
			var opts []dsl.InstanceOption
			for range s.intn(4) {
				opts = append(opts, dsl.WithRole(s.name(), dsl.Members(w.members()...), dsl.RoleSettings(w.value(0)), dsl.ForMachine(w.machine(), w.value(0))))
			}
			if s.intn(4) == 0 {
				opts = append(opts, dsl.FromInput(s.name()))
			}
			if s.intn(4) == 0 {
				opts = append(opts, dsl.OnDarwinVia(w.feature()))
			}
			f.Service(pick(s, []string{"zerotier", "sshd", "users", "internet", "admin", "state-version", "borgbackup", s.name()}), s.name(), opts...)
		case 10:
			f.Channel(pick(s, []dsl.ChannelRole{dsl.UnstableChannel, dsl.DarwinStableChannel, dsl.LinuxStableChannel, "x"}), pick(s, []string{"", "github:NixOS/nixpkgs"}))
		case 11:
			f.Hotfix(dsl.Hotfix{Package: s.name(), From: pick(s, []dsl.PkgSet{dsl.Default, dsl.Stable, dsl.Unstable, dsl.Patched, "x"}), Platforms: w.platforms(),
				Reason: s.name(), Added: w.date(), RemoveBy: w.date()})
		case 12:
			f.Patch(pick(s, []string{"", "https://x/p.patch", "http://x", "://"}), pick(s, []string{"", "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "sha256-AAAA", "md5-x", "sha256:x", "-", "sha512-"}), s.name())
		case 13:
			f.Cache(pick(s, []string{"", "https://c", "http://localhost", "http://c", "%zz"}), pick(s, []string{"", "k:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=", "k:AAAA", ":", "k:!"}))
		case 14:
			var ms []*dsl.Machine
			for range s.intn(4) {
				ms = append(ms, w.machine())
			}
			f.Phase(s.name(), ms...)
		case 15: // duplicate pointers
			if len(w.ms) > 0 {
				f.Machines = append(f.Machines, pick(s, w.ms))
			}
			if len(w.gens) > 0 {
				f.Generators = append(f.Generators, pick(s, w.gens))
			}
			if len(w.fts) > 0 {
				f.Features = append(f.Features, pick(s, w.fts))
			}
		case 16: // nil entries
			f.Machines = append(f.Machines, nil)
			f.Instances = append(f.Instances, nil)
			f.Generators = append(f.Generators, nil)
			if len(f.Instances) > 1 && f.Instances[0] != nil {
				f.Instances[0].Roles = append(f.Instances[0].Roles, nil)
			}
			if len(w.gens) > 0 {
				g := pick(s, w.gens)
				g.Files = append(g.Files, nil)
				g.Prompts = append(g.Prompts, nil)
			}
		case 17:
			f.Internet(s.name(), dsl.InternetHost{Machine: w.machine(), Host: s.name()})
			f.EmergencyAccess(s.name(), w.members()...)
			f.TrustedNixCaches(s.name(), w.members()...)
		case 18:
			in := f.Input(s.name(), s.name(), s.name(), s.name())
			f.Override(dsl.Override{Package: s.name(), Platforms: w.platforms(), Attrs: w.value(0), Reason: s.name(), Added: w.date()})
			if len(w.fts) > 0 && w.fts[0] != nil {
				w.fts[0].Home = &dsl.Part{Class: dsl.HomeManager, Items: []dsl.Item{dsl.Imports(in.Module("x")), nil}}
			}
		case 19: // what a CUE front-end could produce
			if m := pick(s, w.ms); m != nil {
				m.Class = pick(s, []dsl.Class{dsl.NixOS, dsl.Darwin, dsl.HomeManager, "", "x"})
				m.System = pick(s, []dsl.System{dsl.X86_64Linux, dsl.AArch64Darwin, "x86_64-darwin", ""})
			}
		case 20: // cycles
			if a, b := pick(s, w.gens), pick(s, w.gens); a != nil {
				a.Dependencies = append(a.Dependencies, b)
			}
		case 21:
			if len(w.fts) > 0 {
				ft := pick(s, w.fts)
				ft.Darwin = &dsl.Part{Class: pick(s, []dsl.Class{dsl.NixOS, dsl.Darwin}), Items: []dsl.Item{dsl.Casks(s.name()), dsl.Set("a", 1)}}
			}
		}
	}
	return f
}

func render(ds compiler.Diagnostics) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

func FuzzCompile(f *testing.F) {
	for _, seed := range [][]byte{
		nil,
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21},
		[]byte("the quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog"),
		{5, 2, 2, 2, 5, 3, 3, 3, 20, 0, 1, 20, 1, 0, 0, 9, 9, 9, 9, 6, 6, 6, 6, 6, 14, 14, 14},
		{0, 7, 0, 7, 1, 7, 6, 6, 6, 1, 8, 2, 9, 0, 0, 0, 9, 1, 1, 1, 15, 16, 15, 16, 19, 19, 21},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fleet := build(data)
		opt := compiler.Today(today)
		_, ds := compiler.Compile(fleet, opt)
		sorted := slices.Clone(ds).Sort()
		if !slices.EqualFunc(sorted, ds, func(a, b compiler.Diagnostic) bool {
			return a.Pos == b.Pos && a.Severity == b.Severity && a.Message == b.Message
		}) {
			t.Fatalf("diagnostics are not sorted and unique:\n%s", strings.Join(render(ds), "\n"))
		}
		for _, d := range ds {
			if d.Severity != compiler.Error && d.Severity != compiler.Warning {
				t.Fatalf("invalid severity: %v", d)
			}
			if d.Message == "" {
				t.Fatalf("empty message: %v", d)
			}
		}
		_, again := compiler.Compile(fleet, opt)
		if a, b := render(ds), render(again); !slices.Equal(a, b) {
			t.Fatalf("compiling twice differs:\n%s\n----\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
		}
	})
}
