package compiler

import (
	"maps"
	"slices"
)

// This file is the table of clan-core's services the compiler knows: their roles, role
// cardinality, settings (from each role's interface in clanServices/<name>/default.nix) and
// whether they do anything on darwin (only services with a darwinModule, or none at all, do).

// kind is a settings type.
type kind int

const (
	kAny kind = iota
	kString
	kBool
	kInt
	kPort
	kNullOrString
	kStringList
	kAttrsOf // attrsOf elem
	kObject  // a submodule with fields
)

// schema types a settings value.
type schema struct {
	kind   kind
	elem   *schema            // kAttrsOf
	fields map[string]*schema // kObject
	sshKey bool               // kString: an OpenSSH public key
}

func (s *schema) keys() []string { return slices.Sorted(maps.Keys(s.fields)) }

func (s *schema) describe() string {
	switch s.kind {
	case kString:
		return "a string"
	case kBool:
		return "a bool"
	case kInt:
		return "an integer"
	case kPort:
		return "a port number"
	case kNullOrString:
		return "a string or null"
	case kStringList:
		return "a list of strings"
	case kAttrsOf:
		return "an attribute set of " + plainKind(s.elem)
	case kObject:
		return "an attribute set"
	}
	return "any value"
}

func plainKind(s *schema) string {
	switch s.kind {
	case kString:
		return "strings"
	case kBool:
		return "bools"
	}
	return "attribute sets"
}

var (
	tString     = &schema{kind: kString}
	tBool       = &schema{kind: kBool}
	tPort       = &schema{kind: kPort}
	tNullString = &schema{kind: kNullOrString}
	tStrings    = &schema{kind: kStringList}
	tSSHKeys    = &schema{kind: kAttrsOf, elem: &schema{kind: kString, sshKey: true}}
	tSSHKeyList = &schema{kind: kStringList, sshKey: true}
)

func object(fields map[string]*schema) *schema { return &schema{kind: kObject, fields: fields} }

// roleSpec is one role of a service.
type roleSpec struct {
	min, max int     // member counts; max 0 means unbounded
	settings *schema // nil when the compiler does not know the role's interface
}

// serviceSpec is one service.
type serviceSpec struct {
	roles      map[string]*roleSpec
	darwin     bool   // its modules work on darwin members (or it has no modules at all)
	deprecated string // a warning's hint
	removed    string // an error's hint
}

func (s *serviceSpec) roleNames() []string { return slices.Sorted(maps.Keys(s.roles)) }

var noSettings = object(nil)

// builtinServices are clan-core's services. The ones with settings schemas are those the
// fleet uses; the others are known by role only, so a typo in their name is still caught.
var builtinServices = map[string]*serviceSpec{
	"zerotier": {roles: map[string]*roleSpec{
		"controller": {min: 1, max: 1, settings: object(map[string]*schema{"allowedIps": tStrings, "allowedIds": tStrings, "public": tBool})},
		"moon":       {max: 4, settings: object(map[string]*schema{"stableEndpoints": tStrings})},
		"peer":       {settings: object(map[string]*schema{"orbitMoons": tStrings})},
	}},
	"sshd": {roles: map[string]*roleSpec{
		"server": {settings: object(map[string]*schema{
			"authorizedKeys":  tSSHKeys,
			"generateRootKey": tBool,
			"hostKeys":        object(map[string]*schema{"rsa": object(map[string]*schema{"enable": tBool})}),
			"certificate":     object(map[string]*schema{"enable": tBool, "searchDomains": tStrings}),
		})},
		"client": {settings: object(map[string]*schema{"certificate": object(map[string]*schema{"searchDomains": tStrings})})},
	}},
	"users": {roles: map[string]*roleSpec{
		"default": {settings: object(map[string]*schema{
			"user":       tString,
			"systemUser": tBool,
			"prompt":     tBool,
			"groups":     tStrings,
			"share":      tBool,
			"identity": {kind: kAttrsOf, elem: object(map[string]*schema{
				"email": tString, "groups": tStrings, "displayname": tNullString,
			})},
			"openssh": object(map[string]*schema{"authorizedKeys": object(map[string]*schema{
				"keys": tSSHKeyList, "keyFiles": tStrings,
			})}),
		})},
	}},
	"emergency-access":   {roles: map[string]*roleSpec{"default": {settings: noSettings}}},
	"trusted-nix-caches": {roles: map[string]*roleSpec{"default": {settings: noSettings}}},
	"internet": {darwin: true, roles: map[string]*roleSpec{
		"default": {settings: object(map[string]*schema{"host": tString, "port": tPort, "user": tNullString, "jumphosts": tStrings})},
	}},
	"admin": {
		roles: map[string]*roleSpec{"default": {settings: object(map[string]*schema{
			"allowedKeys":              tSSHKeys,
			"rsaHostKey":               object(map[string]*schema{"enable": tBool}),
			"certificateSearchDomains": tStrings,
		})}},
		deprecated: "use an sshd instance (f.SSHD with dsl.RootKeys) and a users instance with user root instead",
	},
	"state-version": {
		roles:   map[string]*roleSpec{},
		removed: "clan removed the state-version service in August 2025: set clan.core.settings.state-version.enable on the machines instead",
	},
	"borgbackup":     {roles: roles("client", "server")},
	"certificates":   {roles: roles("ca", "default")},
	"data-mesher":    {roles: roles("admin", "bootstrap", "default", "peer", "signer")},
	"dm-dns":         {roles: roles("default", "push")},
	"dyndns":         {roles: roles("default")},
	"garage":         {roles: roles("default")},
	"hello-world":    {roles: roles("evening", "morning")},
	"importer":       {darwin: true, roles: roles("default")},
	"installer":      {roles: roles("iso")},
	"kde":            {roles: roles("default")},
	"localbackup":    {roles: roles("default")},
	"matrix-synapse": {roles: roles("default")},
	"monitoring":     {roles: roles("client", "server")},
	"mycelium":       {roles: roles("peer")},
	"ncps":           {roles: roles("client", "server")},
	"p2p-ssh-iroh":   {roles: roles("server")},
	"packages":       {roles: roles("default")},
	"pki":            {roles: roles("default")},
	"syncthing":      {roles: roles("peer")},
	"tor":            {roles: roles("client", "server")},
	"wifi":           {roles: roles("default")},
	"wireguard":      {darwin: true, roles: roles("controller", "peer")},
	"yggdrasil":      {roles: roles("default")},
	"coredns": {
		roles:   map[string]*roleSpec{},
		removed: "coredns moved from clan-core to clan-community: take it from that input with dsl.FromInput",
	},
}

func roles(names ...string) map[string]*roleSpec {
	out := map[string]*roleSpec{}
	for _, n := range names {
		out[n] = &roleSpec{}
	}
	return out
}

// builtinNames are the services' names, sorted, for suggestions.
var builtinNames = slices.Sorted(maps.Keys(builtinServices))

// darwinHint is how to give an instance of a service a darwin implementation.
func darwinHint(service string) string {
	switch service {
	case "zerotier":
		return "join darwin members with dsl.DarwinViaHomebrew(), or use dsl.NixOSTag instead of a tag with darwin machines"
	case "sshd":
		return "give darwin members the fleet's sshd with dsl.SSHDOnDarwinVia(feature), or use dsl.NixOSTag"
	case "users":
		return "give darwin members the fleet's accounts with dsl.UsersOnDarwinVia(feature), or use dsl.NixOSTag"
	}
	return "give the instance a darwin implementation with dsl.OnDarwinVia(feature), or use dsl.NixOSTag"
}
