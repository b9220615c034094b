// Command gocheck checks Custody's checkpoints and proofs with Go's reference implementations
// (golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog), code that Custody does not share.
// It reads one JSON document on standard input and exits 0 only when every check holds. Given the log's tile prefix,
// it also fetches the hash tiles (c2sp.org/tlog-tiles), has tlog authenticate them against the checkpoint's root,
// and makes the same proofs from them itself.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
	// TilePrefix is the URL below which the log serves checkpoint and tile/<L>/<N>[.p/<W>]; empty to skip the tiles.
	TilePrefix string `json:"tilePrefix"`
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
	if in.TilePrefix != "" {
		checkTiles(in, size, root, oldSize, oldRoot, entry)
	}
}

// checkTiles makes the inclusion and consistency proofs from the log's tiles with tlog's own code, checks them against
// the signed roots, and checks that they are the proofs the service gave. tlog's TileHashReader is meant to accept a
// tile only when it hashes up to the signed root, but Debian's x/mod (0.7.0) predates the fix of CVE-2026-56865
// (go.dev/issue/80744, x/mod v0.40.0): it leaves some tiles unchecked against their parents. So nothing here rests on
// that reader alone: the old tree's hash is compared with the old checkpoint's root, and each proof is checked
// against the signed roots.
func checkTiles(in input, size int64, root tlog.Hash, oldSize int64, oldRoot tlog.Hash, entry []byte) {
	reader := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, &tileServer{prefix: in.TilePrefix})
	old, err := tlog.TreeHash(oldSize, reader)
	if err != nil {
		fail("tiles: the tree of %d: %v", oldSize, err)
	}
	if old != oldRoot {
		fail("tiles: the tree of %d hashes to %v, not to the old checkpoint's root", oldSize, old)
	}
	record, err := tlog.ProveRecord(size, in.LeafIndex, reader)
	if err != nil {
		fail("tiles: inclusion of entry %d: %v", in.LeafIndex, err)
	}
	if err := tlog.CheckRecord(record, size, root, in.LeafIndex, tlog.RecordHash(entry)); err != nil {
		fail("tiles: inclusion of entry %d: %v", in.LeafIndex, err)
	}
	tree, err := tlog.ProveTree(size, oldSize, reader)
	if err != nil {
		fail("tiles: consistency of tree %d with tree %d: %v", oldSize, size, err)
	}
	if !same(record, hashes(in.Inclusion)) || !same(tree, hashes(in.Consistency)) {
		fail("tiles: the proofs made from the tiles are not the service's proofs")
	}
	fmt.Printf("OK tiles hash up to the checkpoint's root; the proofs made from them are the service's\n")
}

// tileServer reads tiles over HTTP at their c2sp.org/tlog-tiles paths, which are tlog's without the height.
type tileServer struct {
	prefix string
}

func (s *tileServer) Height() int { return 8 }

func (s *tileServer) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, tile := range tiles {
		url := s.prefix + "/tile/" + strings.TrimPrefix(tile.Path(), "tile/8/")
		response, err := http.Get(url)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(response.Body)
		response.Body.Close()
		if err != nil {
			return nil, err
		}
		if response.StatusCode != http.StatusOK || len(body) != tile.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: status %d, %d bytes", url, response.StatusCode, len(body))
		}
		data[i] = body
	}
	return data, nil
}

func (s *tileServer) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func same(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i][:], b[i][:]) {
			return false
		}
	}
	return true
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
