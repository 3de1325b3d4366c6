package darwin

//go:generate go run ../../internal/optgen -in ../optiondata/darwin.json -pkg darwin -class darwin -source options/optiondata/darwin.json
