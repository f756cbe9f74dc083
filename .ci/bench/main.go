// Command bench measures ActCourier against its targets and prints one
// table: collector sizes, bundle sizes, import throughput and its ratio to
// a bare decrypt-and-decompress loop, report time and peak memory for
// 100,000 devices, and the collector's wall time under wine. Run it with
// `make bench`, which builds dist/ first. Numbers and the machine go into
// docs/performance.md.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/pgtest"
	"github.com/actcourier/actcourier/pkg/sitekey"
	"github.com/actcourier/actcourier/pkg/store"
)

var (
	dist     = flag.String("dist", "dist", "folder with the built binaries")
	nImport  = flag.Int("bundles", 10000, "bundles for the import measurement")
	nReport  = flag.Int("devices", 100000, "devices for the report measurement")
	nLines   = flag.Int("lines", 200, "lines the report devices are spread over")
	skipWine = flag.Bool("no-wine", false, "skip the wine measurement")
	keep     = flag.Bool("keep", false, "keep the generated bundles and databases (for profiling)")
	runs     = flag.Int("runs", 3, "timed runs of the import and of the bare loop; the median is reported")
	nMemory  = flag.Int("memory-bundles", 40000, "bundles of a second import whose memory must stay that of the first")
	nLarge   = flag.Int("large-devices", 1000000, "devices of the large report (0: none); as many devices a line as the usual one")
	skipPG   = flag.Bool("no-postgres", false, "skip the PostgreSQL measurements")
)

// pg is the PostgreSQL server of the measurements: on this machine, on a
// Unix socket, with fsync and synchronous commit on (pgtest.Options
// Durable), as a production server has them; nil when not installed.
var pg *pgtest.Server

type row struct {
	what, value, target string
	ok                  bool
}

var rows []row

func add(what, value, target string, ok bool) {
	rows = append(rows, row{what, value, target, ok})
	mark := "ok"
	if !ok {
		mark = "MISSED"
	}
	fmt.Printf("%-58s %-22s %-16s %s\n", what, value, target, mark)
}

func main() {
	flag.Parse()
	log.SetFlags(0)
	tmp, err := os.MkdirTemp("", "actcourier-bench-")
	if err != nil {
		log.Fatal(err)
	}
	if *keep {
		fmt.Println("keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	fmt.Printf("machine: %s, %d CPUs (GOMAXPROCS %d), %s, %s/%s\n\n", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("%-58s %-22s %-16s %s\n", "measurement", "value", "target", "")

	freshWrite(tmp)
	sizes()
	depSizes(tmp)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		log.Fatal(err)
	}
	keyFile := filepath.Join(tmp, "key.txt")
	os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600)
	arch := archetypes()
	bundleSizes(arch, id.Recipient())
	if !*skipPG {
		if pg, err = pgtest.Start(pgtest.Options{Durable: true}); err != nil {
			fmt.Printf("  (PostgreSQL not measured: %v)\n", err)
		} else {
			defer pg.Stop()
		}
	}
	importThroughput(tmp, keyFile, id, arch)
	reportRun(tmp, arch)
	if !*skipWine {
		wine(tmp, id.Recipient().String())
	}
	missed := 0
	for _, r := range rows {
		if !r.ok {
			missed++
		}
	}
	fmt.Printf("\n%d measurements, %d targets missed\n", len(rows), missed)
}

// freshWrite prints what this machine charges for file data written into
// memory it has not used lately, which every report pays for each byte
// it writes: the project's CI machines are virtual machines that give
// free memory back to their host (virtio-balloon free page reporting),
// so the kernel's first write into such a page faults on the host. There
// it cost 3.4 s of system time a GiB, where the same write into pages
// just freed took 0.3 s: about a third of the CPU of the report of
// 100,000 devices, which writes 1 GB, and 30 s of the report of
// 1,000,000 (docs/performance.md, the twenty-third round). Printed so a
// run's report figures can be read against the machine they ran on.
func freshWrite(tmp string) {
	name := filepath.Join(tmp, "fresh-write")
	buf := bytes.Repeat([]byte("actcourier "), 1<<20/11+1)[:1<<20]
	once := func() time.Duration {
		f, err := os.Create(name)
		if err != nil {
			log.Fatal(err)
		}
		start := time.Now()
		for i := 0; i < 1024; i++ {
			if _, err := f.Write(buf); err != nil {
				log.Fatal(err)
			}
		}
		el := time.Since(start)
		f.Close()
		os.Remove(name) // its pages freed, not written back
		return el
	}
	first := once()
	again := once()
	add("machine: writing 1 GiB of new file data", fmt.Sprintf("%.2f s", first.Seconds()), "", true)
	add("  the same again at once, into the pages just freed", fmt.Sprintf("%.2f s", again.Seconds()), "", true)
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			return strings.TrimSpace(l[strings.Index(l, ":")+1:])
		}
	}
	return "unknown CPU"
}

func sizes() {
	for _, b := range []struct {
		name  string
		limit float64 // MiB
	}{{"collector-win7-386.exe", 4.5}, {"collector-win7-amd64.exe", 6}} {
		fi, err := os.Stat(filepath.Join(*dist, b.name))
		if err != nil {
			log.Fatalf("%v (run make build)", err)
		}
		mib := float64(fi.Size()) / (1 << 20)
		add("size of "+b.name, fmt.Sprintf("%.2f MiB", mib), fmt.Sprintf("< %g MiB", b.limit), mib < b.limit)
	}
}

// depSizes builds the 386 collector as make build does but with its
// symbols, and prints how many bytes of code and data each module takes
// (go tool nm -size), biggest first: where the next kilobytes would come
// from.
func depSizes(tmp string) {
	exe := filepath.Join(tmp, "collector-386-symbols.exe")
	build := exec.Command("go", "build", "-trimpath", "-tags", "urfave_cli_no_docs", "-gcflags=all=-l", "-o", exe, "./collector")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=go1.20.14", "GOOS=windows", "GOARCH=386", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		log.Fatalf("collector with symbols: %v\n%s", err, out)
	}
	out, err := exec.Command("go", "tool", "nm", "-size", exe).Output()
	if err != nil {
		log.Fatal(err)
	}
	mods, err := exec.Command("go", "list", "-m", "-f", "{{.Path}}", "all").Output()
	if err != nil {
		log.Fatal(err)
	}
	modules := strings.Fields(string(mods))
	sort.Slice(modules, func(i, j int) bool { return len(modules[i]) > len(modules[j]) })
	sizes := map[string]int64{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		name := strings.TrimPrefix(f[3], "type:")
		owner := "Go standard library and runtime"
		for _, m := range modules {
			if strings.HasPrefix(name, m+".") || strings.HasPrefix(name, m+"/") {
				owner = m
				break
			}
		}
		sizes[owner] += n
	}
	var keys []string
	for k := range sizes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return sizes[keys[i]] > sizes[keys[j]] })
	for _, k := range keys {
		if sizes[k] >= 8<<10 {
			add("  386 collector: "+k, fmt.Sprintf("%.0f KiB", float64(sizes[k])/1024), "", true)
		}
	}
}

type arche struct {
	name    string
	snap    *licensing.Snapshot
	members []bundle.Member
}

// archetypes loads testdata/snapshots with the raw text a real collection
// carries: slmgr /dlv and /xpr, and ospp /dstatus for devices with Office.
func archetypes() []arche {
	files, _ := filepath.Glob("testdata/snapshots/*.json")
	sort.Strings(files)
	dlv, _ := os.ReadFile("pkg/slmgr/testdata/samples/slmgr/win10-pro-oemdm-dli-checkmk.txt")
	xpr, _ := os.ReadFile("pkg/slmgr/testdata/samples/slmgr/win10-pro-permanent-xpr-withlogo.txt")
	ospp, _ := os.ReadFile("pkg/slmgr/testdata/samples/ospp/en-o19-proplus2019vl-kms-licensed-vlmcsd20.txt")
	var out []arche
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		s, err := licensing.Unmarshal(data)
		if err != nil {
			log.Fatal(err)
		}
		m := []bundle.Member{{Name: licensing.MemberName, Data: data},
			{Name: "raw/slmgr-dlv.txt", Data: utf16(dlv)}, {Name: "raw/slmgr-xpr.txt", Data: utf16(xpr)}}
		for _, p := range s.Products {
			if p.Kind == licensing.KindOffice {
				m = append(m, bundle.Member{Name: "raw/ospp-1.txt", Data: utf16(ospp)})
				break
			}
		}
		out = append(out, arche{strings.TrimSuffix(filepath.Base(f), ".json"), s, m})
	}
	return out
}

// utf16 makes text look as cscript //U writes it.
func utf16(b []byte) []byte {
	out := make([]byte, 0, 2*len(b))
	for _, c := range string(b) {
		if c > 0xFFFF {
			c = '?'
		}
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func bundleSizes(arch []arche, r age.Recipient) {
	var all []int64
	for _, a := range arch {
		var c counter
		if _, err := bundle.Encode(&c, bundle.Header{Generator: "bench"}, a.members, r); err != nil {
			log.Fatal(err)
		}
		all = append(all, c.n)
		add("bundle size: "+a.name, fmt.Sprintf("%.1f KiB", float64(c.n)/1024), "< 32 KiB", c.n < 32<<10)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	med := all[len(all)/2]
	add("bundle size: median of the archetypes", fmt.Sprintf("%.1f KiB", float64(med)/1024), "< 32 KiB", med < 32<<10)

	// A heavy case: `slmgr /dlv all` on Windows 10 lists every SKU, and a
	// machine may hold several Office installs. Every real slmgr sample
	// stands in for the first, every ospp sample for the second.
	var dlv, ospp []byte
	for kind, dst := range map[string]*[]byte{"slmgr": &dlv, "ospp": &ospp} {
		files, _ := filepath.Glob(filepath.Join("pkg/slmgr/testdata/samples", kind, "*.txt"))
		sort.Strings(files)
		for _, f := range files {
			b, _ := os.ReadFile(f)
			*dst = append(*dst, b...)
		}
	}
	a := arch[0]
	m := []bundle.Member{a.members[0], {Name: "raw/slmgr-dlv.txt", Data: utf16(dlv)}, {Name: "raw/ospp-1.txt", Data: utf16(ospp)}}
	var c counter
	if _, err := bundle.Encode(&c, bundle.Header{Generator: "bench"}, m, r); err != nil {
		log.Fatal(err)
	}
	raw := len(m[1].Data) + len(m[2].Data)
	add(fmt.Sprintf("bundle size: long output (%d KiB of UTF-16 text)", raw>>10), fmt.Sprintf("%.1f KiB", float64(c.n)/1024), "< 32 KiB", c.n < 32<<10)
}

// generate writes n bundles of generated devices (the archetypes with
// their own identities) on all cores.
func generate(dir string, arch []arche, r age.Recipient, n int) []string {
	files := make([]string, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				a := arch[i%len(arch)]
				s := device(a.snap, i, 50)
				data, _ := licensing.Marshal(s)
				m := append([]bundle.Member{{Name: licensing.MemberName, Data: data}}, a.members[1:]...)
				p, _, err := bundle.WriteFile(dir, bundle.Header{Generator: "bench"}, m, r)
				if err != nil {
					log.Fatal(err)
				}
				files[i] = p
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return files
}

func device(base *licensing.Snapshot, i, perLine int) *licensing.Snapshot {
	s := *base
	line := i / perLine
	s.Context.Site = fmt.Sprintf("Site-%02d", line/20)
	s.Context.Line = fmt.Sprintf("L%03d", line)
	s.Context.Asset = fmt.Sprintf("GEN-%06d", i)
	s.OS.Hostname = fmt.Sprintf("FA-GEN-%06d", i)
	s.Hardware.Serial = fmt.Sprintf("SN%08d", i)
	s.Hardware.UUID = fmt.Sprintf("00112233-4455-6677-8899-%012d", i)
	return &s
}

// bare decrypts and decompresses every file on all cores, and nothing
// else: the floor an import cannot beat. It runs with the importer's
// runtime settings (GC percent 800 and its soft memory limit), so that the
// ratio compares the work, not the garbage collector's tuning. It
// decrypts with age.Decrypt, as a user's loop would; since the tenth
// round the importer reads genuine bundles with the bundle package's own
// age code (bundle/stream.go), which saves age's 128 KiB of buffers a
// bundle, so the ratio also counts that saving in the importer's favour
// (docs/performance.md).
func bare(files []string, id age.Identity) time.Duration {
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(64 << 20)) // the importer's importMemory
	settle()
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan string)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dec, _ := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
			defer dec.Close()
			for f := range next {
				data, err := os.ReadFile(f)
				if err != nil {
					log.Fatal(err)
				}
				r, err := age.Decrypt(bytes.NewReader(data), id)
				if err != nil {
					log.Fatal(err)
				}
				if err := dec.Reset(r); err != nil {
					log.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, dec); err != nil {
					log.Fatal(err)
				}
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return time.Since(start)
}

// importOnce runs the release importer over dir into a fresh database (a
// SQLite file, or a new PostgreSQL database when postgres) and returns
// its wall time and max RSS.
func importOnce(tmp, keyFile, dir string, postgres bool) (time.Duration, int64) {
	db := filepath.Join(tmp, "import.db")
	defer func() {
		for _, ext := range []string{"", "-wal", "-shm"} {
			os.Remove(db + ext)
		}
	}()
	if postgres {
		name, err := pg.CreateDB()
		if err != nil {
			log.Fatal(err)
		}
		db = pg.DSN(name, "postgres")
		// Dropped once measured: its autovacuum would run beside the
		// next measurements.
		defer pg.Exec("postgres", "DROP DATABASE "+name)
	}
	cmd := exec.Command(filepath.Join(*dist, "importer-linux-amd64"), "import", "-q", "-i", keyFile, "--db", db, dir)
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	settle()
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("import: %v\n%s", err, stderr.String())
	}
	el := time.Since(start)
	rss := int64(0)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // KiB on Linux
	}
	return el, rss
}

func importThroughput(tmp, keyFile string, id *age.X25519Identity, arch []arche) {
	dir := filepath.Join(tmp, "bundles")
	os.MkdirAll(dir, 0o755)
	t0 := time.Now()
	files := generate(dir, arch, id.Recipient(), *nImport)
	fmt.Printf("  (generated %d bundles in %.1f s)\n", len(files), time.Since(t0).Seconds())
	// The importer reads its key with sitekey.Load, whose X25519 identity
	// unwraps with one scalar multiplication (age's makes two): the
	// like-for-like loop does the same.
	loaded, err := sitekey.Load([]string{keyFile}, nil)
	if err != nil {
		log.Fatal(err)
	}
	bare(files, loaded[0]) // warm the page cache
	// Alternate the three, several times, and take the medians: a shared
	// machine's noise hits them alike.
	var tas, tbs, tes []time.Duration
	var rss int64
	for r := 0; r < *runs; r++ {
		tas = append(tas, bare(files, id))
		tbs = append(tbs, bare(files, loaded[0]))
		te, m := importOnce(tmp, keyFile, dir, false)
		tes = append(tes, te)
		if m > rss {
			rss = m
		}
	}
	ta, tb, te := medianOf(tas), medianOf(tbs), medianOf(tes)
	rate := float64(len(files)) / te.Seconds()
	add(fmt.Sprintf("import %d bundles end to end (fresh database, median of %d)", len(files), *runs), fmt.Sprintf("%.0f bundles/s", rate), ">= 8000/s", rate >= 8000)
	add("  bare decrypt+decompress loop, importer's GC settings, age identity", fmt.Sprintf("%.0f bundles/s", float64(len(files))/ta.Seconds()), "", true)
	add("  the same loop with the importer's identity (sitekey.Load)", fmt.Sprintf("%.0f bundles/s", float64(len(files))/tb.Seconds()), "", true)
	add("  ratio import / bare loop (age identity)", fmt.Sprintf("%.2f", te.Seconds()/ta.Seconds()), "", true)
	ratio := te.Seconds() / tb.Seconds()
	add("  ratio import / bare loop, like for like", fmt.Sprintf("%.2f", ratio), "< 1.3", ratio < 1.3)
	add(fmt.Sprintf("  import of %d bundles: peak memory (max RSS)", len(files)), fmt.Sprintf("%.0f MiB", float64(rss)/(1<<20)), "", true)
	if pg != nil {
		var tps []time.Duration
		for r := 0; r < *runs; r++ {
			tp, _ := importOnce(tmp, keyFile, dir, true)
			tps = append(tps, tp)
		}
		prate := float64(len(files)) / medianOf(tps).Seconds()
		add(fmt.Sprintf("import %d bundles into PostgreSQL (same machine, median of %d)", len(files), *runs), fmt.Sprintf("%.0f bundles/s", prate),
			">= 4000/s", prate >= 4000)
	}
	if *nMemory > len(files) {
		more := filepath.Join(tmp, "more")
		os.MkdirAll(more, 0o755)
		generate(more, arch, id.Recipient(), *nMemory)
		_, m := importOnce(tmp, keyFile, more, false)
		flat := float64(m) < 1.25*float64(rss)
		add(fmt.Sprintf("  import of %d bundles: peak memory (max RSS)", *nMemory), fmt.Sprintf("%.0f MiB", float64(m)/(1<<20)),
			fmt.Sprintf("< %.0f MiB (flat)", 1.25*float64(rss)/(1<<20)), flat)
		os.RemoveAll(more)
	}
}

// settle lets the machine finish, before a timed run, what the steps
// before it left going on the same 2 cores: the kernel writing back the
// files they wrote (a fleet database of up to some GiB) and the
// PostgreSQL server's checkpoint of the databases its imports filled.
// Without it, a run measured the write-back of the one before: the report
// of 100,000 devices took 9.5 s in the whole bench and 6.6 to 7.1 s alone.
func settle() {
	if pg != nil {
		pg.Exec("postgres", "CHECKPOINT")
	}
	syscall.Sync()
}

func medianOf(d []time.Duration) time.Duration {
	s := append([]time.Duration{}, d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// reportRun fills databases with generated devices directly (no
// bundles: this measures the report) and times the report of each: the
// usual fleet and, with -large-devices, a fleet ten times as big, whose
// time per device must stay that of the first.
func reportRun(tmp string, arch []arche) {
	per := reportOne(tmp, arch, *nReport, *nLines, 3*time.Second)
	if *nLarge > 0 {
		large := reportOne(tmp, arch, *nLarge, *nLarge/(*nReport / *nLines), 40*time.Second)
		add("  time per device, large fleet / usual fleet", fmt.Sprintf("%.2f", large.Seconds()/per.Seconds()), "< 1.2 (flat)",
			large.Seconds() < 1.2*per.Seconds())
	}
}

// reportOne stores n devices over lines lines and times their report
// against limit and 512 MiB; it returns the time per device.
func reportOne(tmp string, arch []arche, n, lines int, limit time.Duration) time.Duration {
	dbPath := filepath.Join(tmp, fmt.Sprintf("report-%d.db", n))
	db, err := store.Open(dbPath)
	if err != nil {
		log.Fatal(err)
	}
	perLine := n / lines
	t0 := time.Now()
	ctx := context.Background()
	var batch []*fleet.Collection
	flush := func() {
		if _, _, err := db.ImportBatch(ctx, batch); err != nil {
			log.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := 0; i < n; i++ {
		a := arch[i%len(arch)]
		s := device(a.snap, i, perLine)
		c, err := fleet.NewCollection(fleet.Meta{BundleID: fmt.Sprintf("%032x", i), SHA256: fmt.Sprintf("%064x", i), Size: 4096,
			FileName: "x", Origin: fleet.OriginBundle, Generator: "bench"}, s, nil,
			[]fleet.Raw{{Member: "raw/slmgr-dlv.txt", Data: a.members[1].Data}}, time.Now())
		if err != nil {
			log.Fatal(err)
		}
		batch = append(batch, c)
		if len(batch) == 256 {
			flush()
		}
	}
	flush()
	db.Close()
	fmt.Printf("  (stored %d devices in %.1f s)\n", n, time.Since(t0).Seconds())
	out := filepath.Join(tmp, fmt.Sprintf("reports-%d", n))
	cmd := exec.Command(filepath.Join(*dist, "importer-linux-amd64"), "report", "--db", dbPath, "--out", out, "--as-of", "2026-11-02")
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	settle()
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("report: %v\n%s", err, stderr.String())
	}
	el := time.Since(start)
	rss := int64(0)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // KiB on Linux
	}
	perDevice := el / time.Duration(n)
	add(fmt.Sprintf("report %d devices in %d lines: time", n, lines), fmt.Sprintf("%.1f s", el.Seconds()), fmt.Sprintf("< %v", limit), el < limit)
	add("  time per device", fmt.Sprintf("%.1f us", float64(perDevice.Nanoseconds())/1e3), "", true)
	// User and system CPU apart: the system's share is mostly the
	// writes, and moves with the machine (freshWrite).
	add("  CPU: user + system", fmt.Sprintf("%.1f + %.1f s", cmd.ProcessState.UserTime().Seconds(),
		cmd.ProcessState.SystemTime().Seconds()), "", true)
	add(fmt.Sprintf("report %d devices: peak memory (max RSS)", n), fmt.Sprintf("%.0f MiB", float64(rss)/(1<<20)), "< 512 MiB", rss < 512<<20)
	if pg != nil && n == *nReport {
		reportPostgres(tmp, dbPath, n, lines)
	}
	if !*keep {
		os.RemoveAll(out)
		for _, ext := range []string{"", "-wal", "-shm"} {
			os.Remove(dbPath + ext)
		}
	}
	return perDevice
}

// reportPostgres moves the report's fleet into PostgreSQL with importer
// migrate (timed too) and times the same report from there.
func reportPostgres(tmp, dbPath string, n, lines int) {
	name, err := pg.CreateDB()
	if err != nil {
		log.Fatal(err)
	}
	dsn := pg.DSN(name, "postgres")
	importer := filepath.Join(*dist, "importer-linux-amd64")
	timed := func(args ...string) (time.Duration, int64) {
		cmd := exec.Command(importer, args...)
		cmd.Stdout = io.Discard
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		settle()
		start := time.Now()
		if err := cmd.Run(); err != nil {
			log.Fatalf("importer %s: %v\n%s", args[0], err, stderr.String())
		}
		rss := int64(0)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss * 1024
		}
		return time.Since(start), rss
	}
	tm, _ := timed("migrate", "--from", dbPath, "--to", dsn)
	add(fmt.Sprintf("  migrate the %d-device fleet into PostgreSQL, verified", n), fmt.Sprintf("%.1f s", tm.Seconds()), "", true)
	out := filepath.Join(tmp, "reports-pg")
	el, rss := timed("report", "--db", dsn, "--out", out, "--as-of", "2026-11-02")
	add(fmt.Sprintf("report %d devices in %d lines from PostgreSQL: time", n, lines), fmt.Sprintf("%.1f s", el.Seconds()), "", true)
	add(fmt.Sprintf("report %d devices from PostgreSQL: peak memory (max RSS)", n), fmt.Sprintf("%.0f MiB", float64(rss)/(1<<20)), "< 512 MiB", rss < 512<<20)
	if !*keep {
		os.RemoveAll(out)
	}
}

// wine times one live collection by the Windows 7 collector under wine,
// less the time wine takes to run an empty program built the same way.
func wine(tmp, recipient string) {
	bin, err := exec.LookPath("wine")
	if err != nil {
		fmt.Println("  (wine not installed: collector wall time not measured)")
		return
	}
	empty := filepath.Join(tmp, "empty")
	os.MkdirAll(empty, 0o755)
	os.WriteFile(filepath.Join(empty, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	os.WriteFile(filepath.Join(empty, "go.mod"), []byte("module empty\n\ngo 1.20\n"), 0o644)
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", "empty.exe", ".")
	build.Dir = empty
	build.Env = append(os.Environ(), "GOTOOLCHAIN=go1.20.14", "GOOS=windows", "GOARCH=amd64")
	if out, err := build.CombinedOutput(); err != nil {
		log.Fatalf("empty program: %v\n%s", err, out)
	}
	// Wine's server folder (wine-XXXXXX in TMPDIR) and anything it writes
	// under HOME stay in tmp, which is removed at the end.
	home := filepath.Join(tmp, "home")
	os.MkdirAll(home, 0o755)
	env := append(os.Environ(), "WINEPREFIX="+filepath.Join(tmp, "wine"), "WINEDEBUG=-all", "TMPDIR="+home, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"WINEDLLOVERRIDES=winemenubuilder.exe=d")
	defer func() {
		kill := exec.Command("wineserver", "-k")
		kill.Env = env
		kill.Run()
	}()
	// A run that fails is a measurement that failed: the bench says so
	// in its table, with the end of what wine wrote, and goes on to its
	// summary (a log.Fatal here would lose the table's last line and skip
	// the deferred clean-up: the PostgreSQL server, the temporary folder).
	var failed error
	runWine := func(args ...string) time.Duration {
		if failed != nil {
			return 0
		}
		for try := 0; ; try++ {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, args...)
			cmd.Env, cmd.Stdout, cmd.Stderr = env, io.Discard, &stderr
			start := time.Now()
			err := cmd.Run()
			d := time.Since(start)
			// Under load Wine has killed a Go program as it exited, its
			// work done (collector/wine_test.go, wineRun): that run is
			// timed again, once.
			if err != nil && try == 0 && cmd.ProcessState != nil {
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					fmt.Printf("  (wine %s ended by %v; run again)\n", filepath.Base(args[0]), ws.Signal())
					continue
				}
			}
			if err != nil {
				failed = fmt.Errorf("%s: %v%s", filepath.Base(args[0]), err, lastLine(stderr.String()))
			}
			return d
		}
	}
	runWine(filepath.Join(empty, "empty.exe")) // creates the prefix
	median := func(f func() time.Duration) time.Duration {
		var d []time.Duration
		for i := 0; i < 5; i++ {
			d = append(d, f())
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[2]
	}
	te := median(func() time.Duration { return runWine(filepath.Join(empty, "empty.exe")) })
	out := filepath.Join(tmp, "stick")
	col := filepath.Join(*dist, "collector-win7-amd64.exe")
	tc := median(func() time.Duration {
		return runWine(col, "--no-prompt", "-r", recipient, "--site", "S", "--line", "L", "--asset", "A", "--out", "Z:"+strings.ReplaceAll(out, "/", `\`))
	})
	if failed != nil {
		add("collector under wine, one live collection", "failed", "< 3 s", false)
		fmt.Printf("  (%v)\n", failed)
		return
	}
	add("collector under wine, one live collection", fmt.Sprintf("%.2f s", tc.Seconds()), "", true)
	add("  wine running an empty Go 1.20 program", fmt.Sprintf("%.2f s", te.Seconds()), "", true)
	d := tc - te
	add("  collector wall time less wine's own", fmt.Sprintf("%.2f s", d.Seconds()), "< 3 s", d < 3*time.Second)
}

// lastLine is ": " and the last non-empty line of s, cut to 200 bytes,
// or "" when s has none.
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[i+1:])
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return ": " + s
}
