package home

//go:generate go run ../../internal/optgen -in ../optiondata/home.json -pkg home -class homeManager -source options/optiondata/home.json
