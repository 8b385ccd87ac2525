#include "textflag.h"

// SSE2 only, which every amd64 processor has (GOAMD64=v1).

// BROADCAST fills X with the byte of the 64-bit pattern pat.
#define BROADCAST(pat, X) \
	MOVQ $pat, AX; \
	MOVQ AX, X; \
	PUNPCKLQDQ X, X

// LOAD64 loads the 64 bytes at SI into X0-X3.
#define LOAD64 \
	MOVOU 0(SI), X0; \
	MOVOU 16(SI), X1; \
	MOVOU 32(SI), X2; \
	MOVOU 48(SI), X3

// EQMASK sets bit k of dst when byte k of X0-X3 equals the byte in needle.
#define EQMASK(needle, dst) \
	MOVO X0, X4; PCMPEQB needle, X4; PMOVMSKB X4, dst; \
	MOVO X1, X4; PCMPEQB needle, X4; PMOVMSKB X4, DX; SHLQ $16, DX; ORQ DX, dst; \
	MOVO X2, X4; PCMPEQB needle, X4; PMOVMSKB X4, DX; SHLQ $32, DX; ORQ DX, dst; \
	MOVO X3, X4; PCMPEQB needle, X4; PMOVMSKB X4, DX; SHLQ $48, DX; ORQ DX, dst

// func quoteMasks(p *byte) (quote, backslash uint64)
TEXT ·quoteMasks(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	BROADCAST(0x2222222222222222, X8)
	BROADCAST(0x5c5c5c5c5c5c5c5c, X9)
	LOAD64
	EQMASK(X8, BX)
	MOVQ BX, quote+8(FP)
	EQMASK(X9, BX)
	MOVQ BX, backslash+16(FP)
	RET

// func stringMasks(p *byte) (quote, backslash, control uint64)
TEXT ·stringMasks(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), SI
	BROADCAST(0x2222222222222222, X8)
	BROADCAST(0x5c5c5c5c5c5c5c5c, X9)
	BROADCAST(0x1f1f1f1f1f1f1f1f, X10)
	LOAD64
	EQMASK(X8, BX)
	MOVQ BX, quote+8(FP)
	EQMASK(X9, BX)
	MOVQ BX, backslash+16(FP)
	// A control byte c is min(c, 0x1f): X0-X3 become their minimums.
	PMINUB X10, X0
	PMINUB X10, X1
	PMINUB X10, X2
	PMINUB X10, X3
	MOVOU 0(SI), X11
	MOVOU 16(SI), X12
	MOVOU 32(SI), X13
	MOVOU 48(SI), X14
	PCMPEQB X11, X0
	PCMPEQB X12, X1
	PCMPEQB X13, X2
	PCMPEQB X14, X3
	PMOVMSKB X0, BX
	PMOVMSKB X1, DX
	SHLQ $16, DX
	ORQ DX, BX
	PMOVMSKB X2, DX
	SHLQ $32, DX
	ORQ DX, BX
	PMOVMSKB X3, DX
	SHLQ $48, DX
	ORQ DX, BX
	MOVQ BX, control+24(FP)
	RET
