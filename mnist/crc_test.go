package mnist

import (
	"bytes"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestCRC32CCombine checks the combination against hash/crc32 on the whole
// buffer, for random contents and every kind of split (empty pieces,
// lengths with one bit, long ones).
func TestCRC32CCombine(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	buf := make([]byte, 1<<20+77)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	splits := []int{0, 1, 2, 3, 4, 7, 8, 64, 1000, 1 << 16, len(buf) / 2, len(buf) - 1, len(buf)}
	for range 20 {
		splits = append(splits, r.IntN(len(buf)+1))
	}
	for _, n := range []int{0, 1, 5, 4096, len(buf)} {
		b := buf[:n]
		want := crc32.Checksum(b, castagnoli)
		for _, s := range splits {
			if s > n {
				continue
			}
			a, c := crc32.Checksum(b[:s], castagnoli), crc32.Checksum(b[s:], castagnoli)
			if got := crc32cCombine(a, c, int64(n-s)); got != want {
				t.Fatalf("len %d split at %d: combined %#x, want %#x", n, s, got, want)
			}
		}
	}
	// Three pieces, combined left to right.
	a, b, c := buf[:1000], buf[1000:500000], buf[500000:]
	got := crc32cCombine(crc32cCombine(crc32.Checksum(a, castagnoli), crc32.Checksum(b, castagnoli), int64(len(b))),
		crc32.Checksum(c, castagnoli), int64(len(c)))
	if want := crc32.Checksum(buf, castagnoli); got != want {
		t.Fatalf("three pieces: %#x, want %#x", got, want)
	}
}

// TestReadChecked reads a file in 1 to 5 pieces of various block sizes and
// checks the bytes and the checksum of a prefix against a plain read.
func TestReadChecked(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	data := make([]byte, 100_003)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, block := range []int{1, 7, 4096, 1 << 20} {
		for pieces := 1; pieces <= 5; pieces++ {
			for _, n := range []int{0, 1, len(data) - 4, len(data)} {
				if block == 1 && n > 10 {
					continue
				}
				size := len(data)
				if block == 1 {
					size = 10
				}
				buf := make([]byte, size)
				sum, err := readChecked(f, buf, min(n, size), block, pieces)
				if err != nil {
					t.Fatalf("block %d, %d pieces: %v", block, pieces, err)
				}
				if !bytes.Equal(buf, data[:size]) {
					t.Fatalf("block %d, %d pieces: the bytes differ", block, pieces)
				}
				if want := crc32.Checksum(data[:min(n, size)], castagnoli); sum != want {
					t.Fatalf("block %d, %d pieces, n %d: checksum %#x, want %#x", block, pieces, n, sum, want)
				}
			}
		}
	}
	// A read past the end of the file is an error, whatever the piece.
	for pieces := 1; pieces <= 3; pieces++ {
		buf := make([]byte, len(data)+1)
		if _, err := readChecked(f, buf, len(buf), 4096, pieces); err == nil {
			t.Fatalf("%d pieces: no error reading past the end", pieces)
		}
	}
}

// TestChecksum checks the CRC-32C computed in 1 to 5 pieces against
// hash/crc32, for lengths that split evenly and lengths that do not.
func TestChecksum(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	buf := make([]byte, 100_003)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	for _, n := range []int{0, 1, 2, 3, 4, 5, 64, 4097, len(buf)} {
		want := crc32.Checksum(buf[:n], castagnoli)
		for pieces := 1; pieces <= 5; pieces++ {
			got, err := checksum(buf[:n], pieces)
			if err != nil || got != want {
				t.Fatalf("len %d in %d pieces: %#x, %v; want %#x", n, pieces, got, err, want)
			}
		}
	}
}
