package compiler

import (
	"github.com/nixfleet/fleet/dsl"
)

const maxUID = 1<<32 - 2 // (uid_t)-1 is reserved

// checkUsers checks users: uid range, root's uid, SSH keys that parse, and uids unique on
// each machine.
func (cc *compilation) checkUsers() {
	for _, u := range nonNil(cc.fleet.Users) {
		switch {
		case u.UID < 0 || u.UID > maxUID:
			cc.r.errorf(u.Pos, "user %q has uid %d, outside 0..%d", u.Name, u.UID, maxUID)
		case u.Name == "root" && u.UID != 0:
			cc.r.errorf(u.Pos, "user root has uid %d; root's uid is 0", u.UID).Hint = "drop dsl.UID for root"
		}
		for i, k := range u.SSHKeys {
			cc.checkSSHKey(k, u.Pos, sprintf("SSH key %d of user %q", i+1, u.Name))
		}
	}
	type pair struct{ a, b *dsl.User }
	reported := map[pair]bool{}
	for _, m := range cc.model.Machines {
		byUID := map[int]*dsl.User{}
		for _, u := range m.Users {
			if u.UID == 0 {
				continue // chosen by the system (or root)
			}
			prev, ok := byUID[u.UID]
			if !ok {
				byUID[u.UID] = u
				continue
			}
			if prev == u || reported[pair{prev, u}] {
				continue
			}
			reported[pair{prev, u}] = true
			d := cc.r.errorf(u.Pos, "users %q and %q both have uid %d on machine %q", prev.Name, u.Name, u.UID, m.Name)
			d.Hint = "give each user of a machine its own uid"
			d.Related = []dsl.Pos{prev.Pos}
		}
	}
}
