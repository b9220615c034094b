// Command gocheck checks Custody's checkpoints and proofs with Go's reference implementations
// (golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog), code that Custody does not share.
// It reads one JSON document on standard input and exits 0 only when every check holds.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type input struct {
	VerifierKey   string   `json:"verifierKey"`
	Checkpoint    string   `json:"checkpoint"`
	OldCheckpoint string   `json:"oldCheckpoint"`
	LeafIndex     int64    `json:"leafIndex"`
	Entry         string   `json:"entry"`
	Inclusion     []string `json:"inclusion"`
	Consistency   []string `json:"consistency"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail("input: %v", err)
	}
	verifier, err := note.NewVerifier(in.VerifierKey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	size, root := open(in.Checkpoint, verifier)
	oldSize, oldRoot := open(in.OldCheckpoint, verifier)

	entry, err := base64.StdEncoding.DecodeString(in.Entry)
	if err != nil {
		fail("entry: %v", err)
	}
	if err := tlog.CheckRecord(hashes(in.Inclusion), size, root, in.LeafIndex, tlog.RecordHash(entry)); err != nil {
		fail("inclusion of entry %d in tree %d: %v", in.LeafIndex, size, err)
	}
	if err := tlog.CheckTree(hashes(in.Consistency), size, root, oldSize, oldRoot); err != nil {
		fail("consistency of tree %d with tree %d: %v", oldSize, size, err)
	}
	fmt.Printf("OK checkpoints %d and %d verify with %s; entry %d is included; the trees are consistent\n", oldSize, size, verifier.Name(), in.LeafIndex)
}

// open verifies a signed checkpoint note and returns its size and root hash (c2sp.org/tlog-checkpoint).
func open(text string, verifier note.Verifier) (int64, tlog.Hash) {
	n, err := note.Open([]byte(text), note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root: %v", err)
	}
	return size, root
}

func hashes(encoded []string) []tlog.Hash {
	var out []tlog.Hash
	for _, e := range encoded {
		h, err := tlog.ParseHash(e)
		if err != nil {
			fail("proof hash: %v", err)
		}
		out = append(out, h)
	}
	return out
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}
