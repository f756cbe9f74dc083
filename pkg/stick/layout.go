package stick

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/actcourier/actcourier/pkg/internal/atomicfile"
	"github.com/actcourier/actcourier/pkg/sjis"
)

// Builds are the collector builds a stick carries, as `make build` names
// them: together they run on every Windows from 7 SP1 on, and the
// launcher starts the one that fits.
var Builds = []string{"collector-win7-386.exe", "collector-win7-amd64.exe"}

// ErrExists means a file of a stick is already there and was not
// replaced. Prepare returns it as an *ExistsError, which names the file.
var ErrExists = errors.New("stick: file exists")

// ExistsError is the file of a stick that is already there (ErrExists).
type ExistsError struct {
	Name string
}

func (e *ExistsError) Error() string { return ErrExists.Error() + ": " + e.Name }

// Unwrap returns ErrExists.
func (e *ExistsError) Unwrap() error { return ErrExists }

// ErrNoBuilds means the release folder holds no collector builds.
var ErrNoBuilds = errors.New("stick: no collector builds")

// files are the launcher and the engineer's guide, written with CRLF line
// ends for cmd.exe and Notepad on Windows 7. The launcher is written in
// Shift_JIS: cmd.exe reads a batch file in the console's code page, 932
// on Japanese Windows, and its Japanese lines are only reached there.
//
//go:embed files
var files embed.FS

// Prepare makes dir a stick for a field engineer: the collector builds
// (name → content, as listed in Builds), the settings file for c, the
// launcher ActCourier.cmd, the guide README-ja-en.txt and an empty
// bundles folder. Every file is written under a temporary name and then
// renamed; without force an existing file is left alone and Prepare
// returns an error wrapping ErrExists. It returns the files written.
func Prepare(dir string, c *Config, builds map[string][]byte, force bool) ([]string, error) {
	out := c.Output
	if out == "" {
		out = "bundles"
	}
	if err := os.MkdirAll(filepath.Join(dir, out), 0o755); err != nil {
		return nil, err
	}
	launcher, err := files.ReadFile("files/ActCourier.cmd")
	if err != nil {
		return nil, err
	}
	guide, err := files.ReadFile("files/README-ja-en.txt")
	if err != nil {
		return nil, err
	}
	crlf := func(b []byte) []byte { return []byte(strings.ReplaceAll(string(b), "\n", "\r\n")) }
	conf, err := Marshal(c)
	if err != nil {
		return nil, err
	}
	if launcher, err = sjis.Encode(string(launcher)); err != nil {
		return nil, fmt.Errorf("launcher: %w", err)
	}
	write := map[string][]byte{
		FileName:           conf,
		"ActCourier.cmd":   crlf(launcher),
		"README-ja-en.txt": append([]byte("\ufeff"), crlf(guide)...), // the BOM makes Notepad read UTF-8
	}
	for name, data := range builds {
		write[name] = data
	}
	var names []string
	for name := range write {
		names = append(names, name)
	}
	sort.Strings(names)
	var done []string
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := writeNew(path, write[name], force); err != nil {
			return done, err
		}
		done = append(done, path)
	}
	return done, nil
}

// writeNew writes a file as WriteAtomic does, with the mode any new file
// of the user gets (0666 less the umask, as os.Create gives); it refuses
// to replace a file (or a link) unless force. The stick is anyone's: a
// link left under a fixed temporary name would have had Prepare write
// through it into a file of the workstation (the site's key).
//
// Nothing Prepare writes is secret: the settings hold the site's public
// key (NewConfig refuses a private one), the rest is the launcher, the
// guide and the collector builds. 0600 made a stick prepared in a folder
// unreadable to another account that copies it out; no x bit, as
// Windows runs a program without one.
func writeNew(name string, data []byte, force bool) error {
	if _, err := os.Lstat(name); err == nil && !force {
		return &ExistsError{Name: name}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return atomicfile.Write(name, 0o666, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// WriteAtomic writes name through a new temporary file beside it, of a
// random name (O_EXCL: never through a link someone left), synced, then
// renamed: no file of that name is left unless whole, on a stick pulled
// out or a disk that fills up. write fills the file. The file is the
// user's alone (0600): a return file, whose product keys only its
// passphrase guards.
func WriteAtomic(name string, write func(*os.File) error) error {
	return atomicfile.Write(name, 0o600, write)
}

// NewConfig makes the settings of a stick from what central staff give:
// recipients (age1… public keys; an identity is refused with
// ErrPrivateKey), the site, its lines comma-separated, the engineer.
//
// Every value is checked as Parse checks the file (Validate): a control
// character in a site or line name, which would start a new setting in
// the file, is refused.
func NewConfig(recipients []string, site, lines, engineer string) (*Config, error) {
	c := &Config{Site: strings.TrimSpace(site), Engineer: strings.TrimSpace(engineer), Output: "bundles", Lines: splitLines(lines)}
	for _, r := range recipients {
		c.Recipients = append(c.Recipients, strings.TrimSpace(r))
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// ReadBuilds reads the collector builds (Builds) from the release folder
// dist; an empty dist means the folder of the running program, else
// ./dist.
func ReadBuilds(dist string) (map[string][]byte, error) {
	dirs := []string{dist}
	if dist == "" {
		dirs = []string{"dist"}
		if exe, err := os.Executable(); err == nil {
			dirs = []string{filepath.Dir(exe), "dist"}
		}
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, Builds[0])); err != nil {
			continue
		}
		builds := map[string][]byte{}
		for _, b := range Builds {
			data, err := os.ReadFile(filepath.Join(d, b))
			if err != nil {
				return nil, err
			}
			builds[b] = data
		}
		return builds, nil
	}
	return nil, fmt.Errorf("%w: no %s in %s", ErrNoBuilds, Builds[0], strings.Join(dirs, " or "))
}
