package nixos
