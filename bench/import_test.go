package bench

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/thutuc/thutuc/postgres/pgtest"
)

// BenchmarkServeDuringImport serves the bundled corpus from the real binary, then imports the
// whole catalog into the same store with `thutuc ingest` while four clients search, each
// up to ten times a second. It reports the import's time, search latency during and after the import, how often
// the server rebuilt its lexical index, and the server's peak memory.
func BenchmarkServeDuringImport(b *testing.B) {
	root, dvc, _ := sharedData(b)
	bin := filepath.Join(b.TempDir(), "thutuc")
	build := exec.Command("go", "build", "-o", bin, "./cmd/thutuc")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	qs := append(catalogQuestions(b, root), questions(b)...)
	for i := 0; i < b.N; i++ {
		_, url := pgtest.MustOpenURL(b)
		env := append(os.Environ(), "DATABASE_URL="+url, "THUTUC_CHAT_PER_MINUTE=0", "THUTUC_SEARCH_PER_MINUTE=0", "THUTUC_LOG_LEVEL=info")
		for _, args := range [][]string{{"migrate"}, {"ingest", filepath.Join(root, "corpus")}} {
			cmd := exec.Command(bin, args...)
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v: %v\n%s", args, err, out)
			}
		}
		srv := startServer(b, bin, env)
		// Four clients search until told to stop, each at most once per pace (a busy portal,
		// not a flood that would starve the import of CPU); each latency is filed under the
		// phase it started in.
		const pace = 100 * time.Millisecond
		var importing atomic.Bool
		importing.Store(true)
		stop := make(chan struct{})
		var mu sync.Mutex
		var during, after []time.Duration
		errs := 0
		var wg sync.WaitGroup
		client := &http.Client{Timeout: 30 * time.Second}
		for c := 0; c < 4; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for n := c; ; n += 4 {
					select {
					case <-stop:
						return
					default:
					}
					q := qs[n%len(qs)].Question
					phase := importing.Load()
					start := time.Now()
					resp, err := client.Post(srv.base+"/v1/search", "application/json",
						strings.NewReader(fmt.Sprintf(`{"query": %q, "mode": "hybrid"}`, q)))
					d := time.Since(start)
					ok := err == nil && resp.StatusCode == 200
					if resp != nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
					mu.Lock()
					switch {
					case !ok:
						errs++
					case phase:
						during = append(during, d)
					default:
						after = append(after, d)
					}
					mu.Unlock()
					time.Sleep(pace - d)
				}
			}(c)
		}
		// Memory is sampled during the import: the peak (VmHWM) covers it.
		start := time.Now()
		imp := exec.Command(bin, "ingest", "--format", "dvc-jsonl", dvc)
		imp.Env = env
		out, err := imp.CombinedOutput()
		took := time.Since(start)
		if err != nil {
			b.Logf("import: %v\n%s", err, lastLines(string(out), 5))
		}
		_, hwmDuring := procMemory(srv.cmd.Process.Pid)
		rebuildsDuring := srv.rebuilds.Load()
		importing.Store(false)
		time.Sleep(20 * time.Second)
		close(stop)
		wg.Wait()
		rss, hwm := procMemory(srv.cmd.Process.Pid)
		srv.close()

		a1, b1, c1 := percentiles(during)
		a2, b2, c2 := percentiles(after)
		table("Search while the catalog is imported into the serving store (real binaries, 4 clients at up to 10 req/s each, hybrid)",
			[]string{"phase", "requests", "errors", "p50", "p95", "p99"},
			[][]string{
				{fmt.Sprintf("during the import (%.1f s)", took.Seconds()), fmt.Sprint(len(during)), "", ms(a1), ms(b1), ms(c1)},
				{"20 s after it", fmt.Sprint(len(after)), fmt.Sprint(errs), ms(a2), ms(b2), ms(c2)},
			})
		table("Server during the import", []string{"lexical index builds during / in all", "peak RSS by the import's end", "RSS at the end", "peak RSS"},
			[][]string{{fmt.Sprintf("%d / %d", rebuildsDuring, srv.rebuilds.Load()), hwmDuring, rss, hwm}})
		b.ReportMetric(took.Seconds(), "import-s")
		b.ReportMetric(float64(b1.Microseconds())/1000, "search-p95-during-ms")
		b.ReportMetric(float64(rebuildsDuring), "lexical-builds")
		if kb, err := strconv.Atoi(strings.TrimSuffix(hwmDuring, " kB")); err == nil {
			b.ReportMetric(float64(kb)/1024, "peak-rss-MB")
		}
	}
}

// server is a running `thutuc serve` whose log is watched for lexical index builds.
type server struct {
	cmd      *exec.Cmd
	base     string
	rebuilds atomic.Int64
	logDone  chan struct{}
}

func startServer(b *testing.B, bin string, env []string) *server {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &server{cmd: cmd, logDone: make(chan struct{})}
	go func() {
		defer close(s.logDone)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "lexical index built") {
				s.rebuilds.Add(1)
			}
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("serve: %v", err)
	}
	s.base = strings.TrimSpace(strings.TrimPrefix(line, "thutuc serving on "))
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
	}
	return s
}

func (s *server) close() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
	<-s.logDone
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
