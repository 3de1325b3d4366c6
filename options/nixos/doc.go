package nixos

//go:generate go run ../../internal/optgen -in ../optiondata/nixos.json -pkg nixos -class nixos -source options/optiondata/nixos.json
