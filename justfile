# Daily loop for the fleet compiler. `just --list` shows every recipe.

# Regenerate generated/, flake.nix and FLEET.md from the fleet definition.
generate:
    go run ./fleet

# Fail when the committed output is stale (the pre-commit hook runs this).
check:
    go run ./fleet check

# Evaluate and build every flake check (fleet invariants, formatting) with Nix.
flake-check:
    nix flake check

# The development shell without direnv (.envrc loads it with nix-direnv on cd).
dev:
    nix develop

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

# Needs Nix and the flake's nixpkgs: builds packages.<system>.options-json-nixos
# (nixosOptionsDoc of every NixOS option), makes it the NixOS option data, marks the data
# complete for the compiler's raw-path check, and regenerates the bindings. Every NixOS option
# then has a binding, which makes options/nixos slow to compile.
# Regenerate the NixOS option data and bindings from the flake's full nixpkgs.
options-regen:
    nix build .#options-json-nixos -o result-options-json
    install -m 0644 result-options-json/share/doc/nixos/options.json options/optiondata/nixos.json
    jq '.authoritative = [""] | .source = "nixosOptionsDoc of the flake'"'"'s nixpkgs (just options-regen)"' options/optiondata/nixos.meta.json > options/optiondata/nixos.meta.json.tmp
    mv options/optiondata/nixos.meta.json.tmp options/optiondata/nixos.meta.json
    go generate ./options/...
    go build ./options/...
    go run ./fleet check

# Slow to compile (home-manager alone is ~5k options); `just bindings` goes back to the
# curated prefixes.
# Generate typed option bindings for every option of every class.
bindings-all:
    go run ./internal/optgen -in options/optiondata/nixos.json -pkg nixos -class nixos -source options/optiondata/nixos.json -out options/nixos
    go run ./internal/optgen -in options/optiondata/darwin.json -pkg darwin -class darwin -source options/optiondata/darwin.json -out options/darwin
    go run ./internal/optgen -in options/optiondata/home.json -pkg home -class homeManager -source options/optiondata/home.json -out options/home

# ---------------------------------------------------------------- machines
# A machine's class comes from the clan inventory the flake exports.

# Build one machine's system without activating it: NixOS toplevel or darwin system.
build-machine m:
    #!/usr/bin/env bash
    set -euo pipefail
    case "$(nix eval --raw '.#clan.inventory.machines.{{m}}.machineClass')" in
      darwin) nix build '.#darwinConfigurations.{{m}}.system' --out-link 'result-{{m}}' ;;
      *)      nix build '.#nixosConfigurations.{{m}}.config.system.build.toplevel' --out-link 'result-{{m}}' ;;
    esac

# Build every machine this host can build: the darwin ones on macOS, the NixOS ones elsewhere.
build-all:
    #!/usr/bin/env bash
    set -euo pipefail
    class=nixos; [ "$(uname -s)" = Darwin ] && class=darwin
    for m in $(nix eval --raw .#clan.inventory.machines --apply "ms: toString (builtins.filter (m: ms.\${m}.machineClass == \"$class\") (builtins.attrNames ms))"); do
      echo "== $m"
      just build-machine "$m"
    done

# darwin-rebuild on the Mac itself, nixos-rebuild over ssh to the machine's deploy target
# (clan.inventory.machines.<m>.deploy.targetHost, else root@<m>).
# Switch a machine to this checkout.
activate host=`hostname -s`:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ "$(nix eval --raw '.#clan.inventory.machines.{{host}}.machineClass')" = darwin ]; then
      sudo darwin-rebuild switch --flake '.#{{host}}'
    else
      target=$(nix eval --raw '.#clan.inventory.machines.{{host}}.deploy.targetHost' 2>/dev/null || echo 'root@{{host}}')
      nixos-rebuild switch --flake '.#{{host}}' --target-host "$target" --use-remote-sudo
    fi

# The fleet's users get home-manager as a NixOS/darwin module instead, activated with their
# machine by `just activate`.
# Standalone home-manager, for a user with a homeConfigurations entry.
activate-home user=`whoami`:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! nix eval '.#homeConfigurations' --apply 'hs: hs ? "{{user}}"' 2>/dev/null | grep -q true; then
      echo "the flake has no homeConfigurations.{{user}}: home-manager runs inside the machine's system; use just activate" >&2
      exit 1
    fi
    home-manager switch --flake '.#{{user}}'

# nixos-rebuild dry-activate on the machine, darwin-rebuild check on the Mac, then clan's own
# dry-run build of the machine.
# Show what switching a machine would change, without changing it.
dry-run host=`hostname -s`:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ "$(nix eval --raw '.#clan.inventory.machines.{{host}}.machineClass')" = darwin ]; then
      darwin-rebuild check --flake '.#{{host}}'
    else
      target=$(nix eval --raw '.#clan.inventory.machines.{{host}}.deploy.targetHost' 2>/dev/null || echo 'root@{{host}}')
      nixos-rebuild dry-activate --flake '.#{{host}}' --target-host "$target" --use-remote-sudo
    fi
    clan machines build '{{host}}' --dry-run

# Dry-run, build, switch and rollback per machine, controllers first, the primary workstation
# last; nothing is run: review them, then run them in order. `go run ./fleet plan` prints
# every phase.
# Print the commands that deploy phase N of the fleet's plan.
deploy-phase n:
    go run ./fleet plan --phase {{n}}

# `just vars list`, `just vars generate cinnabar`, `just vars check`, ...
# (go run ./fleet vars -h lists the subcommands).
# The fleet's clan vars (secrets).
vars *args:
    go run ./fleet vars {{args}}

# ---------------------------------------------------------------- infrastructure
# OpenTofu on the generated terranix configuration (Hetzner Cloud servers for the hosted
# machines, each installed with clan machines install). State lives encrypted in terraform/,
# with the passphrase from `clan secrets get tf-passphrase`; the API token comes from
# `clan secrets get hetzner-api-token`. cmd is one of terranix's scripts: init, plan, apply or
# destroy (each links config.tf.json into terraform/ and runs tofu init first). Note that a
# bare `nix run .#terraform` is apply, and ignores arguments after --.
# OpenTofu on the generated terranix configuration: init, plan, apply or destroy.
tf cmd="plan":
    nix run '.#terraform.{{cmd}}'
