package vars_test

import (
	"fmt"
	"os"

	"filippo.io/age"
	"github.com/nixfleet/fleet/sops/vars"
)

func Example() {
	dir, _ := os.MkdirTemp("", "clan")
	defer os.RemoveAll(dir)
	admin, _ := age.GenerateX25519Identity()
	s := vars.New(dir, "alice", []age.Identity{admin})
	if err := s.AddUser("alice", admin.Recipient().String()); err != nil {
		panic(err)
	}
	openssh := vars.Generator{Machine: "web1", Name: "openssh", Files: []vars.File{
		{Name: "ssh.id_ed25519", Secret: true, Deploy: true},
		{Name: "ssh.id_ed25519.pub"},
	}}
	// The machine key is created on first need.
	if err := s.SetSecret(openssh, "ssh.id_ed25519", []byte("private")); err != nil {
		panic(err)
	}
	link, _ := os.Readlink(dir + "/vars/per-machine/web1/openssh/ssh.id_ed25519/machines/web1")
	fmt.Println(link)

	r, _ := s.Check([]vars.Generator{openssh})
	fmt.Print(r)
	fmt.Println()

	_ = s.SetPublic(openssh, "ssh.id_ed25519.pub", []byte("ssh-ed25519 AAAA"))
	r, _ = s.Check([]vars.Generator{openssh})
	fmt.Println(r)
	// Output:
	// ../../../../../../sops/machines/web1
	// Missing public vars:
	//   - per-machine/web1/openssh/ssh.id_ed25519.pub
	//
	// All vars are present and valid.
}
