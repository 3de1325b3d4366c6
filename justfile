# Daily loop for the fleet compiler. `just --list` shows every recipe.

# Regenerate generated/, flake.nix and FLEET.md from the fleet definition.
generate:
    go run ./fleet

# Fail when the committed output is stale (the pre-commit hook runs this).
check:
    go run ./fleet check

# Unit, golden and property tests; the real-Nix tests run when nix-instantiate is installed.
test:
    go test ./...

# The CI run: Nix-dependent tests fail instead of skipping.
test-ci:
    FLEET_REQUIRE_NIX=1 go test ./...

# Rewrite golden files after an intended output change.
update-golden:
    go test ./... -update

# Run every fuzz target for a while (default 60s each).
fuzz time="60s":
    #!/usr/bin/env bash
    set -euo pipefail
    for pkg in $(go list ./...); do
      for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
        echo "== $pkg $target"
        go test -run='^$' -fuzz="^${target}\$" -fuzztime={{time}} "$pkg"
      done
    done

# Benchmarks with allocation counts.
bench pattern=".":
    go test -run='^$' -bench='{{pattern}}' -benchmem ./...

# Format Go sources.
fmt:
    gofmt -w $(git ls-files '*.go')

# Install the pre-commit hook that runs `go run ./fleet check`.
install-hooks:
    go run ./fleet install-hooks

# Regenerate the typed option bindings (options/{nixos,darwin,home}) from options/optiondata.
bindings:
    go generate ./options

# Bindings for every option of every class (slow to compile: home-manager alone is ~5k
# options); `just bindings` goes back to the curated prefixes.
bindings-all:
    go run ./internal/optgen -in options/optiondata/nixos.json -pkg nixos -class nixos -source options/optiondata/nixos.json -out options/nixos
    go run ./internal/optgen -in options/optiondata/darwin.json -pkg darwin -class darwin -source options/optiondata/darwin.json -out options/darwin
    go run ./internal/optgen -in options/optiondata/home.json -pkg home -class homeManager -source options/optiondata/home.json -out options/home
