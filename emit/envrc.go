package emit

// nixDirenvVersion and nixDirenvHash pin the nix-direnv release .envrc loads when direnv
// has no nix-direnv of at least that version: the direnvrc file of the 3.0.7 tag and its
// SRI hash, as direnv's source_url checks it.
const (
	nixDirenvVersion = "3.0.7"
	nixDirenvHash    = "sha256-bn8WANE5a91RusFmRI7kS751ApelG02nMcwRekC/qzc="
)

// envrc writes the root .envrc: direnv enters the flake's default dev shell through
// nix-direnv (cached, and kept from garbage collection), reloading when the flake or the
// generated modules change.
func (e *emitter) envrc() {
	src := "# " + Header + "\n" +
		"# direnv: `direnv allow` once; the flake's default dev shell then loads on cd, through\n" +
		"# nix-direnv (cached; rebuilt only when flake.nix, flake.lock or generated/ change).\n" +
		"if ! has nix_direnv_version || ! nix_direnv_version " + nixDirenvVersion + "; then\n" +
		"  source_url \"https://raw.githubusercontent.com/nix-community/nix-direnv/" + nixDirenvVersion + "/direnvrc\" \"" + nixDirenvHash + "\"\n" +
		"fi\n" +
		"watch_dir " + ModulesDir + "\n" +
		"use flake\n"
	if _, dup := e.tree[".envrc"]; dup {
		e.errorf(".envrc: generated twice")
		return
	}
	e.tree[".envrc"] = []byte(src)
}
