// Command icons draws Hub Doctor's extension icons (a white medical cross on
// a blue rounded square) as PNGs at the sizes the manifest lists, so the
// icons are reproducible from source instead of opaque binaries.
//
//	go run ./scripts/icons -out extension/icons
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// sizes are the icon sizes the stores ask for: Chrome 16/32/48/128, Firefox
// 48/96 (AMO: "48x48 and 96x96 for high-resolution displays").
var sizes = []int{16, 32, 48, 96, 128}

func main() {
	out := flag.String("out", "extension/icons", "directory to write icon-<size>.png into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "icons:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, n := range sizes {
		path := filepath.Join(dir, fmt.Sprintf("icon-%d.png", n))
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := png.Encode(f, draw(n)); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// draw renders one icon of n×n pixels, 4×4 supersampled for smooth edges.
func draw(n int) *image.NRGBA {
	const ss = 4
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	blue := [3]float64{0x0b, 0x5c, 0xd5}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var cover, white float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					// u, v in [0,1): the sample's position in the icon.
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(n)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(n)
					if inRoundedSquare(u, v, 0.22) {
						cover++
						if inCross(u, v) {
							white++
						}
					}
				}
			}
			if cover == 0 {
				continue
			}
			a := cover / (ss * ss)
			w := white / cover
			c := func(i int) uint8 { return uint8(math.Round(blue[i]*(1-w) + 255*w)) }
			img.SetNRGBA(x, y, color.NRGBA{c(0), c(1), c(2), uint8(math.Round(a * 255))})
		}
	}
	return img
}

// inRoundedSquare reports whether (u, v) lies in the unit square with
// corners rounded to radius r.
func inRoundedSquare(u, v, r float64) bool {
	dx := math.Max(math.Max(r-u, u-(1-r)), 0)
	dy := math.Max(math.Max(r-v, v-(1-r)), 0)
	return dx*dx+dy*dy <= r*r
}

// inCross reports whether (u, v) lies in the centred plus sign.
func inCross(u, v float64) bool {
	const arm, half = 0.30, 0.105
	du, dv := math.Abs(u-0.5), math.Abs(v-0.5)
	return (du <= half && dv <= arm) || (dv <= half && du <= arm)
}
