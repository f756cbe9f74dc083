package pgtest

import "testing"

// TestEndsWithUs: the server's processes end with the test binary that
// started them, whoever runs it (a killed or timed-out go test left a
// server running when not root).
func TestEndsWithUs(t *testing.T) {
	s := &Server{dir: t.TempDir()}
	cmd := s.command("postgres")
	if cmd.SysProcAttr == nil || cmd.SysProcAttr.Pdeathsig == 0 {
		t.Fatalf("no parent-death signal: %+v", cmd.SysProcAttr)
	}
}
