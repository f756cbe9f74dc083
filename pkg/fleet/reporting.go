package fleet

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/codepage"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/slmgr"
)

// Written says what Report wrote.
type Written struct {
	Devices int
	Files   []string
	// Removed are the files an earlier report had written into the
	// folder that this one did not write again (report.FilesList),
	// relative to the folder.
	Removed []string
	// Past says the report is the fleet as it was at f.Until
	// (report.Options.Past), and LeftOut how many devices of f's
	// selection it leaves out, first collected later.
	Past    bool
	LeftOut int
}

// Report writes the reports of the devices f selects into dir, with
// verdicts as of opt.AsOf (report.Writer says which files); with
// f.Until, the fleet as it was then (see AsOf), which its files say,
// with how many devices that leaves out (Store.LeftOut), and, when
// f.Until is not after opt.Generated (the time now, when zero), its
// activation requests as they stood then: a line page as of a day past
// shows no CID, return file or outcome recorded after it. It reads the
// fleet in site, line order and hands each line to a pool of workers
// that classify its devices and write its files; lines are committed to
// the site and fleet files in order. Only a few lines are in memory at
// once, whatever the size of the fleet. Every site's KMS pool counts all
// of its devices, whatever f selects.
func Report(ctx context.Context, st Store, dir string, f Filter, opt report.Options) (Written, error) {
	// The lines first, from the index: the writer knows every file the
	// report will write, and refuses a folder that holds another's
	// (report.ErrNotOurs) before a device is read.
	opt.Lines = []report.Place{}
	if err := st.Lines(ctx, f, func(site, line string) error {
		opt.Lines = append(opt.Lines, report.Place{Site: site, Line: line})
		return nil
	}); err != nil {
		return Written{}, err
	}
	// And what the fleet as it was then leaves out, which every page
	// says: a count by the index; for an as-of day after the last
	// collection only the max() the store's as-of path asks anyway
	// (Store.LeftOut).
	opt.LeftOut = map[report.Place]int{}
	leftOut := 0
	past, err := st.LeftOut(ctx, f, func(site, line string, n int) error {
		opt.LeftOut[report.Place{Site: site, Line: line}] = n
		leftOut += n
		return nil
	})
	if err != nil {
		return Written{}, err
	}
	opt.Past = past
	// The activation requests of a day past stand as they did at its
	// end; of today or later, as they do now (activationUntil).
	now := opt.Generated
	if now.IsZero() {
		now = time.Now()
	}
	w, err := report.NewWriter(dir, opt)
	if err != nil {
		return Written{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The sites' KMS pools and the activation requests are read while
	// the first lines are: the reader does not wait for them, the
	// workers and the committer do (a tenth of the report's time on 2
	// cores went to reading them first, with one core idle).
	var (
		pools   map[string]classify.Pool
		act     *activationState
		loadErr error
		loaded  = make(chan struct{})
	)
	go func() {
		defer close(loaded)
		if pools, loadErr = st.Pools(ctx, f.Until); loadErr == nil {
			act, loadErr = activationOf(ctx, st, activationUntil(f.Until, now))
		}
		if loadErr != nil {
			cancel()
			return
		}
		// Before any line is committed: a site's workbook is written
		// as soon as its last line is in, with the site's KMS verdict.
		for site, p := range pools {
			w.SetPool(site, p)
		}
	}()
	type job struct {
		l    *report.LineReport
		rows []Device
		done chan error
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *job)
	order := make(chan *job, 2*workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-loaded
			for j := range jobs {
				if loadErr != nil {
					j.done <- loadErr
					continue
				}
				j.done <- renderLine(ctx, st, w, j.l, j.rows, pools, act, opt)
			}
		}()
	}
	// The committer: lines in the order they were read.
	committed := make(chan error, 1)
	n := 0
	go func() {
		var first error
		for j := range order {
			err := <-j.done
			if err == nil && first == nil {
				err = w.Commit(j.l)
			}
			if err != nil && first == nil {
				first = err
				cancel()
			} else if err == nil {
				n += len(j.rows)
			}
		}
		committed <- first
	}()
	var cur []Device
	dispatch := func() {
		if len(cur) == 0 {
			return
		}
		j := &job{l: w.Begin(cur[0].Site, cur[0].Line), rows: cur, done: make(chan error, 1)}
		cur = make([]Device, 0, len(cur)) // lines are of about one size
		order <- j
		select {
		case jobs <- j:
		case <-ctx.Done():
			j.done <- ctx.Err()
		}
	}
	err = st.Latest(ctx, f, true, func(d Device) error {
		if len(cur) > 0 && (d.Site != cur[0].Site || d.Line != cur[0].Line) {
			dispatch()
		}
		cur = append(cur, d)
		return ctx.Err()
	})
	if err == nil {
		dispatch()
	}
	close(jobs)
	wg.Wait()
	close(order)
	// The first error of the loader or the committer is the cause; the
	// reader then only saw the cancellation, in whatever words its store
	// has for it (pgx interrupts a query by a deadline on its socket:
	// "write failed: … i/o timeout", not context.Canceled).
	<-loaded
	cerr := <-committed
	if loadErr != nil {
		cerr = loadErr
	}
	if cerr != nil && (err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil) {
		err = cerr
	}
	if err != nil {
		return Written{}, errors.Join(err, w.Abort())
	}
	files, err := w.Close()
	return Written{Devices: n, Files: files, Removed: w.Removed, Past: past, LeftOut: leftOut}, err
}

// What a report shows of a device's raw outputs: at most maxRawShown
// bytes of each, maxRawOutputs of them (the collector writes slmgr /dlv
// and /xpr and one ospp output per Office folder). A forged bundle's 64
// raw members of 4 MiB each cost a report no more than a genuine one's.
const (
	maxRawShown   = 64 << 10
	maxRawOutputs = 8
)

// rawShown decodes the raw outputs a report shows, saying where one is
// cut or left out.
func rawShown(s *licensing.Snapshot, raws []Raw) []report.Raw {
	cmds := map[string]string{}
	for _, r := range s.Raw {
		cmds[r.Member] = r.Command
	}
	var out []report.Raw
	left := 0
	for _, r := range raws {
		if !strings.HasPrefix(r.Member, "raw/") {
			continue // slmgr.ini copies are not evidence to show
		}
		if len(out) == maxRawOutputs {
			left++
			continue
		}
		// Raw output may be saved text in any code page; when the code
		// page is unsure it is shown as the collector's own decoder
		// reads it.
		text, _, err := codepage.Decode(r.Data, "")
		if err != nil {
			text, _ = slmgr.Decode(r.Data)
		}
		if more := r.Size - int64(len(r.Data)); more > 0 {
			text += fmt.Sprintf("\n… (%d more bytes in the database)", more)
		}
		cmd := cmds[r.Member]
		if cmd == "" {
			cmd = r.Member
		}
		out = append(out, report.Raw{Name: r.Member, Command: cmd, Text: text})
	}
	if left > 0 {
		out = append(out, report.Raw{Name: "raw/…", Command: fmt.Sprintf("%d more outputs", left),
			Text: fmt.Sprintf("%d more raw outputs are kept in the database.", left)})
	}
	return out
}

// renderLine classifies one line's devices and writes its files.
func renderLine(ctx context.Context, st Store, w *report.Writer, l *report.LineReport, rows []Device,
	pools map[string]classify.Pool, act *activationState, opt report.Options) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ids := make([]int64, len(rows))
	for i, d := range rows {
		ids[i] = d.CollectionID
	}
	raws, err := st.RawFor(ctx, ids, maxRawShown)
	if err != nil {
		return err
	}
	devs := make([]report.Device, 0, len(rows))
	for _, d := range rows {
		c, err := classifyStored(d, opt.AsOf, pools)
		if err != nil {
			return err
		}
		rd := c.ReportDevice()
		rd.Raw = rawShown(c.Snapshot, raws[d.CollectionID])
		rd.Activation = act.report(d, c.Snapshot)
		devs = append(devs, rd)
	}
	return w.Render(l, devs)
}
