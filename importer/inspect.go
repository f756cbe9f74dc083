package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"filippo.io/age"
	"github.com/actcourier/actcourier/bundle"
	"github.com/urfave/cli/v2"
)

type inspectOptions struct {
	identities []string
	json       bool
}

func inspectCommand(stdout, stderr io.Writer) *cli.Command {
	var opts inspectOptions
	return &cli.Command{
		Name:      "inspect",
		Usage:     "decrypt bundles, check every member and show their manifests",
		ArgsUsage: "BUNDLE...",
		Description: "Checks each bundle completely (decryption, sizes, SHA-256 of every member) and\n" +
			"prints its manifest. Nothing is imported or written.\n\n" + exitHelp,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "identity", Aliases: []string{"i"}, Usage: "age identity `FILE` (repeatable)", EnvVars: []string{"ACTCOURIER_IDENTITY"}},
			&cli.BoolFlag{Name: "json", Usage: "print manifests as JSON lines"},
		},
		Action: func(c *cli.Context) error {
			opts.identities = c.StringSlice("identity")
			opts.json = c.Bool("json")
			if c.NArg() == 0 {
				return &usageError{"inspect: no bundle given", "name one or more .tar.zst.age files"}
			}
			return runInspect(opts, c.Args().Slice(), stdout, stderr)
		},
	}
}

func runInspect(opts inspectOptions, paths []string, stdout, stderr io.Writer) error {
	ids, err := loadIdentities(opts.identities)
	if err != nil {
		return err
	}
	failed := 0
	for _, p := range paths {
		b, err := openBundleFile(p, ids)
		if err != nil {
			failed++
			reportBundleError(stderr, p, err)
			continue
		}
		if opts.json {
			out := struct {
				File   string          `json:"file"`
				SHA256 string          `json:"sha256"`
				M      bundle.Manifest `json:"manifest"`
			}{p, b.SHA256, b.Manifest}
			line, _ := json.Marshal(out)
			fmt.Fprintf(stdout, "%s\n", line)
			continue
		}
		m := b.Manifest
		fmt.Fprintf(stdout, "%s\n  bundle %s, format %s %s, by %s\n  created %s",
			p, m.ID, m.Format, m.Version, m.Generator, m.CreatedAt.Format("2006-01-02 15:04:05 -07:00"))
		if m.TimeZone != "" {
			fmt.Fprintf(stdout, " (%s)", m.TimeZone)
		}
		fmt.Fprintf(stdout, "\n  file sha256 %s, %d bytes\n", b.SHA256, b.Size)
		for _, e := range m.Members {
			fmt.Fprintf(stdout, "  %10d  %s  %s\n", e.Size, e.SHA256[:16], e.Name)
		}
	}
	if failed > 0 {
		return errPartial
	}
	return nil
}

func openBundleFile(path string, ids []age.Identity) (*bundle.Bundle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return bundle.Open(f, bundle.Limits{}, ids...)
}

// bundleHint says what to do about a rejected bundle.
func bundleHint(err error) string {
	switch {
	case errors.Is(err, bundle.ErrWrongKey):
		return "pass this site's identity file with -i or ACTCOURIER_IDENTITY (several -i during a key rotation)"
	case errors.Is(err, bundle.ErrTampered):
		return "the file is cut short or changed: copy it again from the stick, or collect the device again"
	case errors.Is(err, bundle.ErrNotBundle):
		return "this file is not an ActCourier bundle; leave it out"
	case errors.Is(err, bundle.ErrUnsupportedVersion):
		return "a newer collector wrote it: update the importer"
	case errors.Is(err, bundle.ErrTooLarge), errors.Is(err, bundle.ErrManifestMismatch), errors.Is(err, bundle.ErrInsecureMember):
		return "the bundle is malformed: collect the device again and report the file to the ActCourier maintainers"
	}
	return "check that the file is readable"
}

func reportBundleError(stderr io.Writer, path string, err error) {
	fmt.Fprintf(stderr, "importer: error: %s: %v\n", path, err)
	fmt.Fprintf(stderr, "importer: hint: %s\n", bundleHint(err))
}
