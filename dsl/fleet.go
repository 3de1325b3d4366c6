package dsl

// Fleet is everything one clan declares. Create it with [New]; the methods register things
// in it and return references to them.
type Fleet struct {
	Name        string // clan meta.name
	Domain      string // clan meta.domain
	Description string
	Machines    []*Machine
	Users       []*User
	Tags        []Tag
	Features    []*Feature
	Instances   []*Instance
	Inputs      []*Input
	Channels    []*Channel
	Hotfixes    []*Hotfix
	Patches     []*Patch
	Overrides   []*Override
	Generators  []*Generator
	Caches      []*Cache
	Phases      []*Phase
	// HotfixesReviewed is the day the owner last reviewed the hotfixes: FLEET.md gives their
	// ages as of that day (so the generated files do not change with the calendar), and the
	// compiler warns when the review is old.
	HotfixesReviewed Date
	// Cachix is the name of the fleet's own Cachix cache (name.cachix.org): CI pushes what
	// it builds there. Empty: CI pushes nowhere.
	Cachix string
	Pos    Pos
}

// FleetOption configures a [Fleet].
type FleetOption interface{ applyFleet(*Fleet) }

type fleetFunc func(*Fleet)

func (f fleetFunc) applyFleet(fl *Fleet) { f(fl) }

// Domain sets the clan's domain (meta.domain), used for host names such as cinnabar.<domain>.
func Domain(d string) FleetOption { return fleetFunc(func(f *Fleet) { f.Domain = d }) }

// About sets the clan's description.
func About(text string) FleetOption { return fleetFunc(func(f *Fleet) { f.Description = text }) }

// HotfixesReviewedOn records the day the hotfixes were last reviewed.
func HotfixesReviewedOn(d Date) FleetOption {
	return fleetFunc(func(f *Fleet) { f.HotfixesReviewed = d })
}

// CachixCache names the fleet's own Cachix cache (name.cachix.org), the one CI pushes the
// machines' closures to with the CACHIX_AUTH_TOKEN secret. Declaring it as a substituter
// is still [Fleet.Cache]'s job.
func CachixCache(name string) FleetOption {
	return fleetFunc(func(f *Fleet) { f.Cachix = name })
}

// New starts a fleet named name (clan meta.name).
func New(name string, opts ...FleetOption) *Fleet {
	f := &Fleet{Name: name, Pos: caller(1, "New")}
	for _, o := range opts {
		o.applyFleet(f)
	}
	return f
}

// Tag is a machine label. Roles of service instances can take a tag instead of machines.
// Get one from [Fleet.Tag] or use the computed tags [All], [NixOSTag] and [DarwinTag].
type Tag struct {
	Name string
	Pos  Pos
}

// The tags clan computes for every machine.
var (
	All       = Tag{Name: "all"}
	NixOSTag  = Tag{Name: "nixos"}
	DarwinTag = Tag{Name: "darwin"}
)

// Tag declares a tag.
func (f *Fleet) Tag(name string) Tag {
	t := Tag{Name: name, Pos: caller(1, "Tag")}
	f.Tags = append(f.Tags, t)
	return t
}

// Cache is a binary cache: a substituter URL and its public key (name:base64).
type Cache struct {
	URL       string
	PublicKey string
	Pos       Pos
}

// Cache declares a binary cache, used in nixConfig and in every machine's nix settings.
func (f *Fleet) Cache(url, publicKey string) *Cache {
	c := &Cache{URL: url, PublicKey: publicKey, Pos: caller(1, "Cache")}
	f.Caches = append(f.Caches, c)
	return c
}

// Phase is one step of progressive deployment: machines updated together, after the
// machines of every earlier phase.
type Phase struct {
	Name     string
	Machines []*Machine
	Pos      Pos
}

// Phase declares the next deployment phase.
func (f *Fleet) Phase(name string, machines ...*Machine) *Phase {
	p := &Phase{Name: name, Machines: machines, Pos: caller(1, "Phase")}
	f.Phases = append(f.Phases, p)
	return p
}

// Input is a flake input other than the ones the generator adds itself.
type Input struct {
	Name    string
	URL     string
	Follows map[string]string // input name inside it -> our input name
	Flake   bool              // false for flake = false inputs
	Pos     Pos
}

// Input declares a flake input. follows pairs are (their input, our input), for example
// Input("srvos", "github:nix-community/srvos", "nixpkgs", "nixpkgs").
func (f *Fleet) Input(name, url string, follows ...string) *Input {
	in := &Input{Name: name, URL: url, Flake: true, Pos: caller(1, "Input")}
	if len(follows) > 0 {
		in.Follows = map[string]string{}
		for i := 0; i+1 < len(follows); i += 2 {
			in.Follows[follows[i]] = follows[i+1]
		}
	}
	f.Inputs = append(f.Inputs, in)
	return in
}

// Module refers to an attribute of the input, such as srvos.Module("nixosModules", "server").
func (in *Input) Module(attrPath ...string) Value {
	return Value{InputRef{Input: in, Path: attrPath, Pos: caller(1, "Module")}}
}
