package mnist

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadPNG(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	px, err := ReadPNG(bytes.NewReader(pngBytes(t, g)), "g.png", 28, 28)
	if err != nil || !bytes.Equal(px, g.Pix) {
		t.Fatalf("8-bit gray: %v", err)
	}
	g16 := image.NewGray16(image.Rect(0, 0, 28, 28))
	for y := range 28 {
		for x := range 28 {
			g16.SetGray16(x, y, color.Gray16{Y: uint16(g.Pix[y*28+x])<<8 | 0x7f})
		}
	}
	px, err = ReadPNG(bytes.NewReader(pngBytes(t, g16)), "g16.png", 28, 28)
	if err != nil || !bytes.Equal(px, g.Pix) {
		t.Fatalf("16-bit gray: %v", err)
	}
	good := pngBytes(t, g)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a PNG"},
		{"text", []byte("hello, world"), "not a PNG"},
		{"truncated", good[:len(good)/2], "corrupt PNG"},
		{"size", pngBytes(t, image.NewGray(image.Rect(0, 0, 32, 28))), "32x28"},
		{"colour", pngBytes(t, image.NewRGBA(image.Rect(0, 0, 28, 28))), "colour"},
		{"paletted", pngBytes(t, image.NewPaletted(image.Rect(0, 0, 28, 28), color.Palette{color.Black, color.White})), "colour"},
		{"huge", make([]byte, maxPNGBytes+10), "larger than"},
	} {
		_, err := ReadPNG(bytes.NewReader(tc.data), tc.name+".png", 28, 28)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name+".png") {
			t.Errorf("%s: err = %v, want one naming the file and saying %q", tc.name, err, tc.want)
		}
	}
}

// FuzzReadPNG: no input may panic; a success has exactly rows*cols pixels.
func FuzzReadPNG(f *testing.F) {
	g := image.NewGray(image.Rect(0, 0, 28, 28))
	g.Pix[100] = 255
	f.Add(pngBytes(f, g))
	f.Add(pngBytes(f, image.NewGray16(image.Rect(0, 0, 28, 28))))
	f.Add(pngBytes(f, image.NewRGBA(image.Rect(0, 0, 28, 28))))
	f.Add(pngBytes(f, image.NewGray(image.Rect(0, 0, 3, 28))))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		px, err := ReadPNG(bytes.NewReader(data), "fuzz.png", 28, 28)
		if err == nil && len(px) != 28*28 {
			t.Fatalf("%d pixels", len(px))
		}
		if err != nil && px != nil {
			t.Fatal("pixels with an error")
		}
	})
}
