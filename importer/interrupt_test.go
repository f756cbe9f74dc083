package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

// interruptibleChild is the test binary as a program that handles Ctrl-C
// as the importer does (ACTCOURIER_TEST_MAIN=interruptible), then runs a
// step that nothing interrupts, as check's integrity pass is.
func interruptibleChild() {
	ctx, stop := interruptible()
	defer stop()
	fmt.Println("ready")
	<-ctx.Done()
	fmt.Println("cancelled")
	time.Sleep(time.Minute)
	os.Exit(0)
}

// TestSecondInterrupt: the first Ctrl-C ends the importer's context; a
// second ends the importer at once, whatever it is waiting for.
func TestSecondInterrupt(t *testing.T) {
	console(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "ACTCOURIER_TEST_MAIN=interruptible")
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(pipe)
	expect := func(line string) {
		t.Helper()
		if !sc.Scan() || sc.Text() != line {
			t.Fatalf("the child printed %q, want %q", sc.Text(), line)
		}
	}
	expect("ready")
	interrupt(t, cmd)
	expect("cancelled")
	interrupt(t, cmd)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if !endedByInterrupt(err) {
			t.Errorf("after the second Ctrl-C: %v, want the end Ctrl-C gives a program", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a second Ctrl-C did not end the program")
	}
}
