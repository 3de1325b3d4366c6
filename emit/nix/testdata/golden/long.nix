{
  config,
  lib,
  pkgs,
  f,
  alpha,
  bravo,
  charlie,
  delta,
  echo,
  foxtrot,
  golf,
  hotel,
  india,
  juliett,
  kilo,
  lima,
  ...
}:
{
  longList = [
    "item"
    "itemitem"
    "itemitemitem"
    "itemitemitemitem"
    "itemitemitemitemitem"
    "item"
    "itemitem"
    "itemitemitem"
    "itemitemitemitem"
    "itemitemitemitemitem"
    "item"
    "itemitem"
    "itemitemitem"
    "itemitemitemitem"
    "itemitemitemitemitem"
    "item"
    "itemitem"
    "itemitemitem"
    "itemitemitemitem"
    "itemitemitemitemitem"
    "item"
    "itemitem"
    "itemitemitem"
    "itemitemitemitem"
    "itemitemitemitemitem"
    "item"
    "itemitem"
    "itemitemitem"
    "itemitemitemitem"
    "itemitemitemitemitem"
  ];
  singletonLong = [
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  ];
  singletonShort = [ "x" ];
  app =
    lib.mkIf
      config.services.something.enable
      config.services.other.thing
      "a string argument that is long";
  appAbsorb = lib.mkIf config.services.something.enable {
    a = 1;
    b = 2;
  };
  appListAbsorb = lib.optionals config.services.something.enable [
    pkgs.git
    pkgs.vim
  ];
  concat =
    [ "item" ]
    ++ config.some.very.long.attribute.path.list
    ++ config.another.very.long.attribute.path.list
    ++ config.third.path.list;
  updateAbsorb = config.defaults // {
    a = 1;
    b = 2;
  };
  inheritLong = {
    inherit alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima;
  };
  inheritFromLong = {
    inherit (pkgs.some.long.scope) alpha bravo charlie delta echo foxtrot golf hotel india;
  };
  formalsLong =
    { config, lib, pkgs, inputs, self, withSystem, moduleWithSystem, flake-parts-lib, ... }:
    {
      a = 1;
    };
  short = x: x ++ [ 1 ];
  nestedParen = f (
    lib.mkOverride 50 {
      services.nginx.virtualHosts."\"example\"".locations = "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";
    }
  );
  # one
  #
  # three
  commented = 1;
  commentedList = [
    # first
    "a"
    "b"
  ];
}
