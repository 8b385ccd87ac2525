package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// hostNames are the names the stand-in answers for; the leaf certificate
// carries them all so one port serves every host.
var hostNames = []string{"admin.webex.com", "*.webex.com", "*.wbx2.com", "localhost"}

// certs is a throwaway CA and the server certificate it signed. A separate
// CA (rather than one self-signed leaf) is what Firefox accepts once trusted:
// mozilla::pkix rejects a CA certificate used as a server certificate
// (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY).
type certs struct {
	// CAPEM is the CA certificate, for clients that trust it.
	CAPEM []byte
	// CA is the parsed CA certificate.
	CA *x509.Certificate
	// Leaf is the server's key pair, leaf first then the CA.
	Leaf tls.Certificate
	// LeafSHA256 is the leaf's fingerprint as Firefox's cert_override.txt
	// writes it (upper-case hex pairs joined by colons).
	LeafSHA256 string
}

// newCerts generates the CA and the server certificate, valid from an hour
// ago (clock skew) for a week. It errors only when the system's random
// source or the x509 encoder fails.
func newCerts(now time.Time) (*certs, error) {
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "Hub Doctor stand-in CA (throwaway)"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caKey, caDER, err := issue("CA", caTmpl, nil, nil)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("CA certificate: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "admin.webex.com"},
		DNSNames:     hostNames,
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	key, der, err := issue("server", tmpl, ca, caKey)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(der)
	hexPairs := make([]string, len(sum))
	for i, b := range sum {
		hexPairs[i] = fmt.Sprintf("%02X", b)
	}
	return &certs{
		CAPEM:      pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		CA:         ca,
		Leaf:       tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key},
		LeafSHA256: strings.Join(hexPairs, ":"),
	}, nil
}

// issue makes a P-256 key and a certificate of it from tmpl, signed by
// parent's key, or self-signed when parent is nil. what names the
// certificate in errors.
func issue(what string, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*ecdsa.PrivateKey, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("%s key: %v", what, err)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, nil, fmt.Errorf("%s certificate: %v", what, err)
	}
	return key, der, nil
}

// serial is a random certificate serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		// crypto/rand.Read never fails on supported platforms (Go 1.24+).
		panic(err)
	}
	return n
}
