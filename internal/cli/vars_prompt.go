package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"golang.org/x/term"
)

// parsePromptFlags reads --prompt GEN.NAME=VALUE and --prompt-file GEN.NAME=PATH into
// answers keyed by "gen.name". Names are matched against the fleet's prompts, so
// generator and prompt names may themselves hold dots.
func parsePromptFlags(m *compiler.Model, values, files []string) (map[string][]byte, error) {
	known := map[string]bool{}
	var names []string
	for _, g := range m.Generators {
		for _, p := range g.Prompts {
			if p != nil {
				known[g.Name+"."+p.Name] = true
				names = append(names, g.Name+"."+p.Name)
			}
		}
	}
	slices.Sort(names)
	out := map[string][]byte{}
	add := func(flagName, arg string, read func(string) ([]byte, error)) error {
		key, val, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("--%s %q: want GEN.NAME=%s", flagName, arg, map[bool]string{true: "PATH", false: "VALUE"}[flagName == "prompt-file"])
		}
		if !known[key] {
			list := "the fleet's generators have no prompts"
			if len(names) > 0 {
				list = "prompts: " + strings.Join(names, ", ")
			}
			return fmt.Errorf("--%s: no prompt %q (%s)", flagName, key, list)
		}
		if _, dup := out[key]; dup {
			return fmt.Errorf("--%s: prompt %q answered twice", flagName, key)
		}
		data, err := read(val)
		if err != nil {
			return fmt.Errorf("--%s %s: %v", flagName, key, err)
		}
		out[key] = data
		return nil
	}
	for _, a := range values {
		if err := add("prompt", a, func(s string) ([]byte, error) { return []byte(s), nil }); err != nil {
			return nil, err
		}
	}
	for _, a := range files {
		if err := add("prompt-file", a, os.ReadFile); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prompter asks prompts on the terminal, when stdin is one.
type prompter struct {
	ctx context.Context
	tty *os.File // nil: not a terminal
	in  *bufio.Reader
	out io.Writer
}

func newPrompter(ctx context.Context, stdin io.Reader, out io.Writer) *prompter {
	p := &prompter{ctx: ctx, out: out}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = f
		p.in = bufio.NewReader(f)
	}
	return p
}

// ask reads a prompt's answer from the terminal; without one it says which flag to pass.
func (p *prompter) ask(j job, pr *dsl.Prompt) ([]byte, error) {
	key := j.gen.Name + "." + pr.Name
	if p.tty == nil {
		return nil, fmt.Errorf("prompt %s (%s) has no answer and stdin is not a terminal: pass --prompt %s=VALUE or --prompt-file %s=PATH",
			key, describePrompt(pr), key, key)
	}
	fd := int(p.tty.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	typ := pr.Type
	if typ == "" {
		typ = dsl.Line
	}
	hint := map[dsl.PromptType]string{
		dsl.Hidden: " (hidden)", dsl.Multiline: " (end with Ctrl-D)", dsl.MultilineHidden: " (hidden; end with an empty line)",
	}[typ]
	fmt.Fprintf(p.out, "%s %s%s: ", j.label(), describePrompt(pr), hint)
	if typ == dsl.Multiline {
		fmt.Fprintln(p.out)
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		switch typ {
		case dsl.Hidden:
			r.data, r.err = term.ReadPassword(fd)
			fmt.Fprintln(p.out)
		case dsl.MultilineHidden:
			var lines []string
			for {
				line, err := term.ReadPassword(fd)
				fmt.Fprintln(p.out)
				if err != nil {
					r.err = err
					break
				}
				if len(line) == 0 {
					break
				}
				lines = append(lines, string(line))
			}
			if len(lines) > 0 {
				r.data = []byte(strings.Join(lines, "\n") + "\n")
			}
		case dsl.Multiline:
			r.data, r.err = io.ReadAll(p.in)
		default:
			line, err := p.in.ReadString('\n')
			if err != nil && err != io.EOF {
				r.err = err
			}
			r.data = []byte(strings.TrimRight(line, "\r\n"))
		}
		done <- r
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-p.ctx.Done():
		term.Restore(fd, state) // a hidden read may have turned echo off
		fmt.Fprintln(p.out)
		return nil, p.ctx.Err()
	}
}

func describePrompt(p *dsl.Prompt) string {
	if p.Description != "" && p.Description != p.Name {
		return p.Name + ": " + p.Description
	}
	return p.Name
}
