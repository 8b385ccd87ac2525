#include "textflag.h"

// func stringMasks(p *byte) (quote, backslash, control uint64)
//
// Bit k of each mask is set when p[k], of the 64 bytes at p, is a '"', a
// '\\' or a control character (below 0x20). SSE2 only, which every amd64
// processor has (GOAMD64=v1).
TEXT ·stringMasks(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), SI
	MOVQ $0x2222222222222222, AX
	MOVQ AX, X8
	PUNPCKLQDQ X8, X8 // '"' in every byte
	MOVQ $0x5c5c5c5c5c5c5c5c, AX
	MOVQ AX, X9
	PUNPCKLQDQ X9, X9 // '\\' in every byte
	MOVQ $0x1f1f1f1f1f1f1f1f, AX
	MOVQ AX, X10
	PUNPCKLQDQ X10, X10 // 0x1f in every byte
	MOVOU 0(SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3
	MOVO X0, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, AX
	MOVO X1, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, DX
	SHLQ $16, DX
	ORQ DX, AX
	MOVO X2, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, DX
	SHLQ $32, DX
	ORQ DX, AX
	MOVO X3, X4
	PCMPEQB X8, X4
	PMOVMSKB X4, DX
	SHLQ $48, DX
	ORQ DX, AX
	MOVQ AX, quote+8(FP)
	MOVO X0, X4
	PCMPEQB X9, X4
	PMOVMSKB X4, BX
	MOVO X1, X4
	PCMPEQB X9, X4
	PMOVMSKB X4, DX
	SHLQ $16, DX
	ORQ DX, BX
	MOVO X2, X4
	PCMPEQB X9, X4
	PMOVMSKB X4, DX
	SHLQ $32, DX
	ORQ DX, BX
	MOVO X3, X4
	PCMPEQB X9, X4
	PMOVMSKB X4, DX
	SHLQ $48, DX
	ORQ DX, BX
	MOVQ BX, backslash+16(FP)
	// A control byte c is min(c, 0x1f).
	MOVO X0, X4
	PMINUB X10, X4
	PCMPEQB X0, X4
	PMOVMSKB X4, CX
	MOVO X1, X4
	PMINUB X10, X4
	PCMPEQB X1, X4
	PMOVMSKB X4, DX
	SHLQ $16, DX
	ORQ DX, CX
	MOVO X2, X4
	PMINUB X10, X4
	PCMPEQB X2, X4
	PMOVMSKB X4, DX
	SHLQ $32, DX
	ORQ DX, CX
	MOVO X3, X4
	PMINUB X10, X4
	PCMPEQB X3, X4
	PMOVMSKB X4, DX
	SHLQ $48, DX
	ORQ DX, CX
	MOVQ CX, control+24(FP)
	RET
