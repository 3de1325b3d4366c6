package dsl

// User is an account on the fleet's machines.
type User struct {
	Name    string
	UID     int // 0 means "let the system choose" (except root)
	Shell   string
	SSHKeys []string // authorized public keys
	Groups  []string
	Admin   bool       // wheel on NixOS, admin on darwin, trusted by nix
	Home    []*Feature // home-manager features the user gets on every machine
	Email   string
	Full    string // full name, for git identity and the like
	// HomeStateVersion is home-manager's home.stateVersion for the user ("25.05").
	HomeStateVersion string
	// AgeKeys are the user's age public keys ("age1..."): the recipients of the secrets the
	// user keeps by hand with sops (the generated .sops.yaml), and, for an administrator,
	// of every such secret.
	AgeKeys []string
	Pos     Pos
}

// UserOption configures a [User].
type UserOption interface{ applyUser(*User) }

type userFunc func(*User)

func (f userFunc) applyUser(u *User) { f(u) }

// UID sets the user's uid.
func UID(n int) UserOption { return userFunc(func(u *User) { u.UID = n }) }

// LoginShell sets the user's shell by package name ("zsh").
func LoginShell(name string) UserOption { return userFunc(func(u *User) { u.Shell = name }) }

// AuthorizedKeys sets the user's authorized SSH public keys.
func AuthorizedKeys(keys ...string) UserOption {
	return userFunc(func(u *User) { u.SSHKeys = append(u.SSHKeys, keys...) })
}

// InGroups adds the user to groups.
func InGroups(groups ...string) UserOption {
	return userFunc(func(u *User) { u.Groups = append(u.Groups, groups...) })
}

// Administrator makes the user an administrator (wheel, nix trusted user).
func Administrator() UserOption { return userFunc(func(u *User) { u.Admin = true }) }

// HomeFeatures gives the user home-manager features on every machine they are on.
func HomeFeatures(fs ...*Feature) UserOption {
	return userFunc(func(u *User) { u.Home = append(u.Home, fs...) })
}

// Identity sets the user's full name and e-mail address.
func Identity(fullName, email string) UserOption {
	return userFunc(func(u *User) { u.Full, u.Email = fullName, email })
}

// HomeStateVersion sets the user's home-manager state version (home.stateVersion).
func HomeStateVersion(v string) UserOption {
	return userFunc(func(u *User) { u.HomeStateVersion = v })
}

// AgeKey adds age public keys ("age1...", as age-keygen -y prints them) to the user: the
// recipients of the user's sops secrets in the generated .sops.yaml (an administrator's
// keys open every user's). Only public keys belong here.
func AgeKey(recipients ...string) UserOption {
	return userFunc(func(u *User) { u.AgeKeys = append(u.AgeKeys, recipients...) })
}

// User declares a user.
func (f *Fleet) User(name string, opts ...UserOption) *User {
	u := &User{Name: name, Pos: caller(1, "User")}
	for _, o := range opts {
		o.applyUser(u)
	}
	f.Users = append(f.Users, u)
	return u
}
