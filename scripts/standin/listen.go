package main

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// One port serves three kinds of client: a browser whose host resolver maps
// the Webex names to loopback (it speaks TLS at once), a browser using the
// port as its proxy (it sends "CONNECT host:443" in plain text first), and a
// plain HTTP request (a proxied http:// URL, or curl). The first byte tells
// them apart: 0x16 opens a TLS handshake record, anything else is HTTP text.

// connQueue is a net.Listener fed by the dispatcher instead of a socket, so
// that the TLS and the plain http.Server each get their share of the port.
type connQueue struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newConnQueue(addr net.Addr) *connQueue {
	return &connQueue{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept returns the next dispatched connection, or net.ErrClosed once closed.
func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.conns:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept; connections already handed out stay open.
func (q *connQueue) Close() error {
	q.once.Do(func() { close(q.done) })
	return nil
}

// Addr is the shared port's address.
func (q *connQueue) Addr() net.Addr { return q.addr }

// push hands c to the server behind q, closing c when q is closed.
func (q *connQueue) push(c net.Conn) {
	select {
	case q.conns <- c:
	case <-q.done:
		c.Close()
	}
}

// peekedConn replays the bytes read while sniffing before the rest of the stream.
type peekedConn struct {
	net.Conn
	r io.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// sniffTimeout bounds how long a silent client may hold a connection open
// before saying which protocol it speaks.
const sniffTimeout = 10 * time.Second

// dispatcher routes connections to the TLS or the plain server.
type dispatcher struct {
	tls, plain *connQueue
	// verbose logs every proxy request.
	verbose bool
}

// dispatch sniffs c's first byte and queues it for the matching server. It
// is also called on the inside of a CONNECT tunnel, which therefore reaches
// this same server whatever host the client asked for: nothing is forwarded
// anywhere else.
func (d *dispatcher) dispatch(c net.Conn, br *bufio.Reader) {
	if br == nil {
		br = bufio.NewReader(c)
	}
	c.SetReadDeadline(time.Now().Add(sniffTimeout))
	first, err := br.Peek(1)
	c.SetReadDeadline(time.Time{})
	if err != nil {
		c.Close()
		return
	}
	pc := &peekedConn{Conn: c, r: br}
	if first[0] == 0x16 {
		d.tls.push(pc)
	} else {
		d.plain.push(pc)
	}
}

// serve accepts from l until it is closed.
func (d *dispatcher) serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go d.dispatch(c, nil)
	}
}

// proxyHandler answers the plain-text side of the port. CONNECT (a browser
// using the port as its HTTPS proxy) is tunnelled back into the dispatcher;
// any other request is sent to the https:// form of its URL, which the
// browser then fetches through the same port.
func (d *dispatcher) proxyHandler(w http.ResponseWriter, r *http.Request) {
	if d.verbose {
		log.Printf("standin: proxy %s %s", r.Method, r.RequestURI)
	}
	if r.Method != http.MethodConnect {
		target := "https://" + r.Host + r.URL.RequestURI()
		http.Redirect(w, r, target, http.StatusPermanentRedirect)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "standin: CONNECT needs HTTP/1.1", http.StatusHTTPVersionNotSupported)
		return
	}
	c, rw, err := hj.Hijack()
	if err != nil {
		log.Printf("standin: CONNECT %s: hijack: %v", r.Host, err)
		return
	}
	if _, err = rw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n"); err == nil {
		err = rw.Flush()
	}
	if err != nil {
		c.Close()
		return
	}
	go d.dispatch(c, rw.Reader)
}
