# extract.nix: option declarations of nix-darwin or home-manager as nixosOptionsDoc-shaped
# JSON, evaluated from the upstream module lists without nixpkgs (see DATA.md).
#
#   nix-instantiate --eval --strict --json extract.nix \
#     --arg lib 'import /work/fleet-inputs/nixpkgs.lib/lib' \
#     --argstr class darwin --arg src /work/fleet-inputs/nix-darwin --arg extra '[]'
#
# pkgs is a stub: an attribute set whose every package name (collected from the module
# sources by the caller, passed as pkgNames) throws when forced, plus the few non-package
# attributes option declarations read (stdenv.hostPlatform, formats, path). Defaults that need
# a package therefore fail inside builtins.tryEval and are left out; declarations, types and
# descriptions never need pkgs.
#
# NixOS: src is a directory holding upstream nixpkgs files at their nixpkgs paths (DATA.md
# says which, from where); nixosModules lists the module files to evaluate, relative to src.
# nixosScoped lists the ones that use mkOption, types and optional without binding them (see DATA.md):
# they are imported with builtins.scopedImport, which adds those three of lib to their
# scope without changing the file.
{ lib, class, src, pkgNames ? [ ], extra ? [ ], isDarwin ? true, nixpkgsPath ? null,
  nixosModules ? [ ], nixosScoped ? [ ], nixosStubImports ? [ ] }:
let
  # NixOS: lib.mdDoc (removed from lib since) was the identity, and lib.literalExample
  # (removed too) what literalExpression is now; older module versions of the files still
  # call them.
  nixosLib = lib.extend (self: super: {
    mdDoc = super.mdDoc or (x: x);
    literalExample = super.literalExample or super.literalExpression;
  });
  inherit (lib) isOption showOption;
  thrower = n: throw "stub pkgs: ${n}";
  platform = {
    isDarwin = isDarwin; isLinux = !isDarwin; isAarch64 = true; isx86_64 = false; isx86 = false;
    isAarch32 = false; isi686 = false; isMusl = false; isStatic = false; is64bit = true;
    isGnu = !isDarwin; isFreeBSD = false; isWindows = false; isUnix = true; isMacOS = isDarwin;
    system = if isDarwin then "aarch64-darwin" else "x86_64-linux";
    parsed = throw "stub pkgs: hostPlatform.parsed";
    darwinMinVersion = "11.3"; linux-kernel = { };
    canExecute = _: true; emulatorAvailable = _: true;
  };
  jsonish = lib.types.anything // { description = "JSON value"; };
  format = name: _: {
    type = (lib.types.attrsOf (lib.types.anything // { description = "${name} value (stub: pkgs.formats is not evaluated)"; })) // { description = "${name} value (stub: pkgs.formats is not evaluated)"; };
    generate = n: v: thrower "formats.${name}.generate";
    lib = { types = lib.genAttrs [ "atom" "value" "section" "primitive" "sectionsValue" "iniAtom" "attrs" "list" ]
      (t: lib.types.anything // { description = "${name} ${t} (stub: pkgs.formats is not evaluated)"; }); mkKeyValue = thrower "formats.lib"; };
  };
  pkgs = lib.genAttrs pkgNames thrower // {
    inherit lib;
    path = if nixpkgsPath == null then thrower "path" else nixpkgsPath;
    system = platform.system;
    stdenv = { hostPlatform = platform; buildPlatform = platform; targetPlatform = platform;
               isDarwin = isDarwin; isLinux = !isDarwin; cc = thrower "stdenv.cc"; };
    stdenvNoCC = pkgs.stdenv;
    formats = lib.genAttrs [ "json" "yaml" "yaml_1_1" "yaml_1_2" "toml" "ini" "iniWithGlobalSection"
      "keyValue" "gitIni" "elixirConf" "lua" "nixConf" "xml" "plist" "hocon" "php" "pythonVars"
      "cdn" "javaProperties" "libconfig" "systemd" "sparkConf" "luaConf" "pkl" ] format
      // { };
    writeText = n: _: thrower "writeText ${n}";
    writeShellScript = n: _: thrower "writeShellScript ${n}";
    writeShellScriptBin = n: _: thrower "writeShellScriptBin ${n}";
    writeScript = n: _: thrower "writeScript ${n}";
    runCommand = n: _: _: thrower "runCommand ${n}";
    symlinkJoin = _: thrower "symlinkJoin";
    buildEnv = _: thrower "buildEnv";
    callPackage = _: _: thrower "callPackage";
  };
  stubType = kind: name: let t = lib.types.anything // { description = "systemd ${name} (stub: utils.systemdUtils is not evaluated)"; }; in
    (if kind == "list" then lib.types.listOf t else lib.types.attrsOf t) // { description = "${kind} of systemd ${name} (stub: utils.systemdUtils is not evaluated)"; };
  utilsStub = lib.genAttrs [ "escapeSystemdPath" "escapeSystemdExecArg" "escapeSystemdExecArgs"
      "fsNeededForBoot" "fsBefore" "pathsNeededForBoot" "toShellPath" "toShellVars" "genJqSecretsReplacementSnippet" ]
      (n: thrower "utils.${n}") // {
    systemdUtils = {
      lib = thrower "utils.systemdUtils.lib";
      unitOptions = thrower "utils.systemdUtils.unitOptions";
      types = lib.genAttrs [ "units" "services" "initrdServices" "targets" "initrdTargets" "sockets"
          "initrdSockets" "timers" "initrdTimers" "paths" "initrdPaths" "slices" "initrdContents" ]
          (stubType "attribute set")
        // lib.genAttrs [ "mounts" "initrdMounts" "automounts" "initrdAutomounts" "initrdStorePath" ]
          (stubType "list");
    };
  };
  # nixosStubImports lists module files whose own `import`s of nixpkgs helper files not read
  # (networkd.nix: ./systemd-unit-options.nix, ./systemd-lib.nix) are answered by the stubs
  # here: the file is imported with builtins.scopedImport replacing `import` for those names
  # only, the file unchanged. unitOption, the element type of the [Match]/[Network]/…
  # section options, is a stand-in accepting anything; the check functions of systemd-lib
  # (only used in types' checks and the config section) throw; concreteUnitOptions is empty,
  # so systemd.network.units.<name> declares no sub-options here.
  importStubs = {
    "systemd-unit-options.nix" = _: {
      unitOption = lib.types.anything // { name = "systemd option";
        description = "systemd option (stub: systemd-unit-options.nix is not evaluated)"; };
      concreteUnitOptions = { };
    };
    "systemd-lib.nix" = _: lib.genAttrs [ "checkUnitConfig" "assertOnlyFields" "assertValueOneOf"
      "assertMacAddress" "assertByteFormat" "assertHasField" "assertRange" "boolValues"
      "attrsToSection" "makeUnit" ] (n: thrower "systemd-lib.nix ${n}");
  };
  stubbedImport = p: let b = baseNameOf (toString p); in
    if importStubs ? ${b} then importStubs.${b} else import p;
  nixosModule = rel: let file = src + "/${rel}"; in
    if builtins.elem rel nixosStubImports
    then { _file = file; imports = [ (builtins.scopedImport { import = stubbedImport; } file) ]; }
    else if builtins.elem rel nixosScoped
    then { _file = file; imports = [ (builtins.scopedImport { inherit (nixosLib) mkOption types optional; } file) ]; }
    else file;
  modules = if class == "nixos" then map nixosModule nixosModules ++ [
      # Module arguments the NixOS module system passes. utils (nixos/lib/utils.nix) is not
      # read: its functions throw (only config sections call them), and the option types of
      # utils.systemdUtils.types are stand-ins, attribute sets or lists of anything whose
      # description says so (systemd/initrd.nix declares options with them).
      { _module.args.utils = utilsStub; }
      # Options declared by files not read whose values the defaults of files read use
      # (programs.zsh.shellAliases defaults to environment.shellAliases, boot.loader.grub.enable
      # to !boot.isContainer); internal, so they are not in the output.
      { options.environment.shellAliases = lib.mkOption { internal = true; default = { }; }; }
      { options.boot.isContainer = lib.mkOption { internal = true; default = false; }; }
    ]
    else if class == "darwin" then import (src + "/modules/module-list.nix")
    else import (src + "/modules/modules.nix") { inherit pkgs; lib = hmLib; check = false; };
  hmLib = if class == "homeManager" then import (src + "/modules/lib/stdlib-extended.nix") lib else lib;
  theLib = if class == "homeManager" then hmLib else if class == "nixos" then nixosLib else lib;
  eval = theLib.evalModules {
    inherit class;
    modules = modules ++ extra ++ [
      { _module.check = false; _module.args = { baseModules = modules; modules = [ ]; }; }
    ];
    specialArgs = { inherit pkgs; modulesPath = if src == null then "" else toString (src + "/modules"); } // (if class == "homeManager" then { lib = hmLib; } else { });
  };
  ok = x: let r = builtins.tryEval (builtins.deepSeq x x); in if r.success then r.value else null;
  render = v: if v ? _type && (v._type == "literalExpression" || v._type == "literalMD") then { inherit (v) _type text; }
    else { _type = "literalExpression"; text = lib.generators.toPretty { } v; };
  relDecl = d: let s = toString d; p = toString src + "/"; in
    if src != null && lib.hasPrefix p s then lib.removePrefix p s else s;
  docs = depth: opts: lib.concatMap (o:
    let
      name = showOption o.loc;
      visible = o.visible or true;
      doc = {
        inherit name;
        value = {
          loc = o.loc;
          type = ok (o.type.description or "unspecified");
          description = ok (o.description or null);
          declarations = ok (map relDecl (lib.filter (x: x != lib.unknownModule) o.declarations));
          readOnly = o.readOnly or false;
        } // lib.optionalAttrs (o ? defaultText || o ? default) {
          default = ok (render (o.defaultText or o.default));
        } // lib.optionalAttrs (o ? example) { example = ok (render o.example); };
      };
      subs = let ss = builtins.tryEval (o.type.getSubOptions o.loc); in
        if depth < 6 && ss.success && ss.value != { } then docs (depth + 1) ss.value else [ ];
      subVisible = if builtins.isBool visible then visible else visible == "transparent";
      shown = (if builtins.isBool visible then visible else visible == "shallow") && !(o.internal or false);
    in (lib.optional shown doc) ++ lib.optionals subVisible subs
  ) (lib.collect isOption (removeAttrs opts [ "_module" ]));
in builtins.listToAttrs (docs 0 eval.options)
