args@{ lib, config, enable ? true, ... }:
let
  cfg = config.services.fleet;
  port = if enable then 8080 else -1;
  inherit lib;
  long =
    if cfg.mode == "production-with-a-very-long-mode-name-that-goes-on" then
      "this is the value used in production and it is quite long too"
    else
      null;
  chain = if cfg.a == 1 then "one" else if cfg.a == 2 then "two" else "many";
  flags = !cfg.disable && (cfg.a || cfg.b);
in
{
  services.fleet.port = port;
  services.fleet.enable = cfg.enable or false;
  services.fleet.opt = cfg.a.b-c."or" or (lib.mkDefault 1);
}
