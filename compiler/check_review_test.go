package compiler_test

import (
	"testing"
	"time"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

func TestHotfixReview(t *testing.T) {
	build := func(reviewed dsl.Date) *dsl.Fleet {
		f := dsl.New("review", dsl.HotfixesReviewedOn(reviewed))
		f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
		f.Channel(dsl.LinuxStableChannel, "github:NixOS/nixpkgs/nixos-26.05")
		f.NixOS("web", dsl.StateVersion("26.05"))
		f.Hotfix(dsl.Hotfix{Package: "git", From: dsl.Stable, Platforms: []dsl.Platform{dsl.AllPlatforms},
			Reason: "broken", Added: dsl.Day(2026, time.October, 1)})
		return f
	}
	today := compiler.Today(time.Date(2026, time.November, 25, 0, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		reviewed dsl.Date
		want     string
	}{
		{dsl.Day(2026, time.November, 20), ""},
		{dsl.Date{}, ""},
		{dsl.Day(2026, time.September, 1), "warning: hotfixes were last reviewed 85 days ago (2026-09-01) (hint: check whether each can be removed, then update dsl.HotfixesReviewedOn)"},
	} {
		_, ds := compiler.Compile(build(tc.reviewed), today)
		var got string
		for _, d := range ds {
			got = d.Severity.String() + ": " + d.Message + " (hint: " + d.Hint + ")"
		}
		if got != tc.want {
			t.Errorf("reviewed %v: got %q, want %q", tc.reviewed, got, tc.want)
		}
	}
}
