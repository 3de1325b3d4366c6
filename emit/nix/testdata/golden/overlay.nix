final: prev:
{
  # micromamba is broken on unstable
  inherit (final.stable) micromamba;
}
// prev.lib.optionalAttrs prev.stdenv.hostPlatform.isDarwin {
  # tests hang on darwin
  # see upstream issue
  direnv = prev.direnv.overrideAttrs (old: { doCheck = false; });
  fish = final.stable.fish;
}
