package sanitize

import "hubdoctor/internal/har"

// aheadDepth bounds how many items are read ahead of the one being
// sanitized, so memory stays bounded by a few entries whatever the file.
const aheadDepth = 8

// scanned is one item read ahead, with its own copy of the bytes.
type scanned struct {
	item har.Item
	err  error
}

// ahead reads a HAR in its own goroutine: on two cores, scanning and
// checking the next entries (most of the reading time is the grammar check)
// overlaps sanitizing and writing this one.
type ahead struct {
	items chan scanned
	free  chan []byte
	done  chan struct{}
}

// scanAhead starts reading sc. Items arrive on items, the last one with an
// error (io.EOF at the end). Each item's Raw is its own buffer: hand it back
// with recycle once written. Call stop when done; the reader then ends at
// its next item.
func scanAhead(sc *har.Scanner) *ahead {
	a := &ahead{items: make(chan scanned, aheadDepth), free: make(chan []byte, aheadDepth+2), done: make(chan struct{})}
	go func() {
		defer close(a.items)
		for {
			it, err := sc.Next()
			if err == nil {
				var b []byte
				select {
				case b = <-a.free:
				default:
				}
				it.Raw = append(b[:0], it.Raw...)
			}
			select {
			case a.items <- scanned{it, err}:
			case <-a.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return a
}

// recycle hands an item's buffer back for a later item.
func (a *ahead) recycle(b []byte) {
	select {
	case a.free <- b:
	default:
	}
}

// stop tells the reader to end.
func (a *ahead) stop() { close(a.done) }
