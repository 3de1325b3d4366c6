# Option declarations transcribed from upstream NixOS modules (see DATA.md for the files
# and commits). Only the `options` part of each module is copied: types, defaults and
# examples as declared; descriptions abridged to their first sentence. pkgs-dependent
# types are replaced as noted. extract.nix evaluates this file like any module list.
{ lib, ... }:
let
  inherit (lib) mkOption mkEnableOption types literalExpression;
  # upstream: settingsFormat.type = (pkgs.formats.keyValue { ... }).type; pkgs.formats is
  # not available here, so the freeform type is the stub extract.nix gives every format.
  keyValueType = types.attrsOf (types.anything // { description = "keyValue value (stub: pkgs.formats is not evaluated)"; });
in
{
  imports = [
    {
      _file = "nixos/modules/services/networking/ssh/sshd.nix";
      options.users.users = mkOption {
        type = types.attrsOf (types.submodule {
          options.openssh.authorizedKeys = {
            keys = mkOption { type = types.listOf types.singleLineStr; default = [ ];
              description = "A list of verbatim OpenSSH public keys that should be added to the user's authorized keys."; };
            keyFiles = mkOption { type = types.listOf types.path; default = [ ];
              description = "A list of files each containing one OpenSSH public key that should be added to the user's authorized keys."; };
          };
          options.openssh.authorizedPrincipals = mkOption { type = types.listOf types.singleLineStr; default = [ ];
            description = "A list of verbatim principal names that should be added to the user's authorized principals."; };
        });
      };
      options.services.openssh = {
        enable = mkOption { type = types.bool; default = false;
          description = "Whether to enable the OpenSSH secure shell daemon, which allows secure remote logins."; };
        startWhenNeeded = mkOption { type = types.bool; default = false;
          description = "If set, {command}`sshd` is socket-activated; that is, instead of having it permanently running as a daemon, systemd will start an instance for each incoming connection."; };
        allowSFTP = mkOption { type = types.bool; default = true;
          description = "Whether to enable the SFTP subsystem in the SSH daemon."; };
        sftpServerExecutable = mkOption { type = types.str; example = "internal-sftp";
          description = "The sftp server executable."; };
        sftpFlags = mkOption { type = types.listOf types.str; default = [ ]; example = [ "-f AUTHPRIV" "-l INFO" ];
          description = "Commandline flags to add to sftp-server."; };
        ports = mkOption { type = types.listOf types.port; default = [ 22 ];
          description = "Specifies on which ports the SSH daemon listens."; };
        openFirewall = mkOption { type = types.bool; default = true;
          description = "Whether to automatically open the specified ports in the firewall."; };
        listenAddresses = mkOption {
          type = types.listOf (types.submodule {
            options.addr = mkOption { type = types.nullOr types.str; default = null; description = "Host, IPv4 or IPv6 address to listen to."; };
            options.port = mkOption { type = types.nullOr types.int; default = null; description = "Port to listen to."; };
          });
          default = [ ];
          description = "List of addresses and ports to listen on (ListenAddress directive in config)."; };
        hostKeys = mkOption { type = types.listOf types.attrs;
          default = [ { type = "rsa"; bits = 4096; path = "/etc/ssh/ssh_host_rsa_key"; } { type = "ed25519"; path = "/etc/ssh/ssh_host_ed25519_key"; } ];
          description = "NixOS can automatically generate SSH host keys."; };
        banner = mkOption { type = types.nullOr types.lines; default = null;
          description = "Message to display to the remote user before authentication is allowed."; };
        authorizedKeysFiles = mkOption { type = types.listOf types.str; default = [ ];
          description = "Specify the rules for which files to read on the host."; };
        authorizedKeysInHomedir = mkOption { type = types.bool; default = true;
          description = "Enables the use of the `~/.ssh/authorized_keys` file."; };
        authorizedKeysCommand = mkOption { type = types.str; default = "none";
          description = "Specifies a program to be used to look up the user's public keys."; };
        authorizedKeysCommandUser = mkOption { type = types.str; default = "nobody";
          description = "Specifies the user under whose account the AuthorizedKeysCommand is run."; };
        settings = mkOption {
          description = "Configuration for `sshd_config(5)`.";
          default = { };
          example = literalExpression "{\n  UseDns = true;\n  PasswordAuthentication = false;\n}\n";
          type = types.submodule ({ name, ... }: {
            freeformType = keyValueType;
            options = {
              AuthorizedPrincipalsFile = mkOption { type = types.str; default = "none";
                description = "Specifies a file that lists principal names that are accepted for certificate authentication."; };
              LogLevel = mkOption { type = types.enum [ "QUIET" "FATAL" "ERROR" "INFO" "VERBOSE" "DEBUG" "DEBUG1" "DEBUG2" "DEBUG3" ]; default = "INFO";
                description = "Gives the verbosity level that is used when logging messages from sshd(8)."; };
              UsePAM = mkEnableOption "PAM authentication" // { default = true; };
              UseDns = mkOption { type = types.bool; default = false;
                description = "Specifies whether sshd(8) should look up the remote host name, and to check that the resolved host name for the remote IP address maps back to the very same IP address."; };
              X11Forwarding = mkOption { type = types.bool; default = false;
                description = "Whether to allow X11 connections to be forwarded."; };
              PasswordAuthentication = mkOption { type = types.bool; default = true;
                description = "Specifies whether password authentication is allowed."; };
              PermitRootLogin = mkOption { default = "prohibit-password";
                type = types.enum [ "yes" "without-password" "prohibit-password" "forced-commands-only" "no" ];
                description = "Whether the root user can login using ssh."; };
              KbdInteractiveAuthentication = mkOption { type = types.bool; default = true;
                description = "Specifies whether keyboard-interactive authentication is allowed."; };
              GatewayPorts = mkOption { type = types.str; default = "no";
                description = "Specifies whether remote hosts are allowed to connect to ports forwarded for the client."; };
              KexAlgorithms = mkOption { type = types.listOf types.str;
                default = [ "sntrup761x25519-sha512@openssh.com" "curve25519-sha256" "curve25519-sha256@libssh.org" "diffie-hellman-group-exchange-sha256" ];
                description = "Allowed key exchange algorithms"; };
              Macs = mkOption { type = types.listOf types.str;
                default = [ "hmac-sha2-512-etm@openssh.com" "hmac-sha2-256-etm@openssh.com" "umac-128-etm@openssh.com" ];
                description = "Allowed MACs"; };
              StrictModes = mkOption { type = types.bool; default = true;
                description = "Whether sshd should check file modes and ownership of directories"; };
              Ciphers = mkOption { type = types.listOf types.str;
                default = [ "chacha20-poly1305@openssh.com" "aes256-gcm@openssh.com" "aes128-gcm@openssh.com" "aes256-ctr" "aes192-ctr" "aes128-ctr" ];
                description = "Allowed ciphers"; };
              AllowUsers = mkOption { type = types.nullOr (types.listOf types.str); default = null;
                description = "If specified, login is allowed only for the listed users."; };
              DenyUsers = mkOption { type = types.nullOr (types.listOf types.str); default = null;
                description = "If specified, login is denied for all listed users."; };
              AllowGroups = mkOption { type = types.nullOr (types.listOf types.str); default = null;
                description = "If specified, login is allowed only for users part of the listed groups."; };
              DenyGroups = mkOption { type = types.nullOr (types.listOf types.str); default = null;
                description = "If specified, login is denied for all users part of the listed groups."; };
              PrintMotd = mkEnableOption "printing /etc/motd when a user logs in interactively";
            };
          });
        };
        extraConfig = mkOption { type = types.lines; default = "";
          description = "Verbatim contents of {file}`sshd_config`."; };
        moduliFile = mkOption { example = "/etc/my-local-ssh-moduli;"; type = types.path;
          description = "Path to `moduli` file to install in `/etc/ssh/moduli`."; };
      };
    }
    {
      _file = "nixos/modules/system/boot/initrd-ssh.nix";
      options.boot.initrd.network.ssh = {
        enable = mkOption { type = types.bool; default = false;
          description = "Start SSH service during initrd boot."; };
        port = mkOption { type = types.port; default = 22;
          description = "Port on which SSH initrd service should listen."; };
        shell = mkOption { type = types.nullOr types.str; default = null; defaultText = ''"/bin/ash"'';
          description = "Login shell of the remote user."; };
        hostKeys = mkOption { type = types.listOf (types.either types.str types.path); default = [ ];
          example = [ "/etc/secrets/initrd/ssh_host_rsa_key" "/etc/secrets/initrd/ssh_host_ed25519_key" ];
          description = "Specify SSH host keys to import into the initrd."; };
        ignoreEmptyHostKeys = mkOption { type = types.bool; default = false;
          description = "Allow leaving {option}`config.boot.initrd.network.ssh.hostKeys` empty, to deploy ssh host keys out of band."; };
        authorizedKeys = mkOption { type = types.listOf types.str;
          defaultText = literalExpression "config.users.users.root.openssh.authorizedKeys.keys";
          description = "Authorized keys for the root user on initrd."; };
        authorizedKeyFiles = mkOption { type = types.listOf types.path;
          defaultText = literalExpression "config.users.users.root.openssh.authorizedKeys.keyFiles";
          description = "Authorized keys taken from files for the root user on initrd."; };
        extraConfig = mkOption { type = types.lines; default = "";
          description = "Verbatim contents of {file}`sshd_config`."; };
      };
    }
    {
      _file = "nixos/modules/services/misc/nix-gc.nix";
      options.nix.gc = {
        automatic = mkOption { default = false; type = types.bool;
          description = "Automatically run the garbage collector at a specific time."; };
        dates = mkOption { type = types.singleLineStr; default = "03:15"; example = "weekly";
          description = "How often or when garbage collection is performed."; };
        randomizedDelaySec = mkOption { default = "0"; type = types.singleLineStr; example = "45min";
          description = "Add a randomized delay before each garbage collection."; };
        persistent = mkOption { default = true; type = types.bool; example = false;
          description = "Takes a boolean argument."; };
        options = mkOption { default = ""; example = "--max-freed $((64 * 1024**3))"; type = types.singleLineStr;
          description = "Options given to [`nix-collect-garbage`](https://nixos.org/manual/nix/stable/command-ref/nix-collect-garbage) when the garbage collector is run automatically."; };
        perUser = mkOption { default = false; type = types.bool;
          description = "Run the garbage collector for each user."; };
      };
    }
  ];
}
