// BloscLZ, the LZ77 block format inside blosc1 frames (a FastLZ level-2 relative).
// Token stream: a control byte c; c < 32 → c+1 literal bytes follow; otherwise a match of
// length (c >> 5) + 2 (7 → extended by following bytes until one is < 255), at distance
// ((c & 31) << 8 | next byte) + 1, or, when that reads 31/255, a 16-bit far distance + 8192.

import { CorruptDataError } from './codec.js';

const MAX_NEAR = 8191; // distances - 1 below this use the near form
const MAX_FAR = 65535 + MAX_NEAR + 1; // largest encodable distance
const MIN_MATCH = 4;
const HASH_LOG = 14;

/** Decode one BloscLZ stream into out[op, op + expected). Returns bytes written. */
export function blosclzDecode(
  src: Uint8Array,
  ip: number,
  end: number,
  out: Uint8Array,
  op0: number,
  expected: number,
): number {
  if (end <= ip) return 0;
  let op = op0;
  const limit = op0 + expected;
  let ctrl = src[ip++]! & 31;
  for (;;) {
    if (ctrl >= 32) {
      let len = (ctrl >>> 5) - 1;
      let ofs = (ctrl & 31) << 8;
      if (len === 6) {
        let code: number;
        do {
          if (ip >= end) throw new CorruptDataError('blosclz: truncated match length');
          code = src[ip++]!;
          len += code;
        } while (code === 255);
      }
      if (ip >= end) throw new CorruptDataError('blosclz: truncated match');
      const code = src[ip++]!;
      len += 3;
      let dist = ofs + code + 1;
      if (code === 255 && ofs === 31 << 8) {
        if (ip + 1 >= end) throw new CorruptDataError('blosclz: truncated far match');
        ofs = (src[ip]! << 8) | src[ip + 1]!;
        ip += 2;
        dist = ofs + MAX_NEAR + 1;
      }
      if (op + len > limit) throw new CorruptDataError('blosclz: match overflows the block');
      let ref = op - dist;
      if (ref < op0) throw new CorruptDataError('blosclz: match reaches before the block');
      if (len <= 16) {
        for (const stop = op + len; op < stop;) out[op++] = out[ref++]!;
      } else {
        // Overlapping matches repeat their pattern: copy in doubling pieces.
        const stop = op + len;
        while (op < stop) {
          const n = Math.min(op - ref, stop - op);
          out.copyWithin(op, ref, ref + n);
          op += n;
        }
      }
      if (ip >= end) break;
      ctrl = src[ip++]!;
    } else {
      const n = ctrl + 1;
      if (op + n > limit || ip + n > end) throw new CorruptDataError('blosclz: literal run overflows');
      if (n < 12) for (let k = 0; k < n; k++) out[op + k] = src[ip + k]!;
      else out.set(src.subarray(ip, ip + n), op);
      op += n;
      ip += n;
      if (ip >= end) break;
      ctrl = src[ip++]!;
    }
  }
  return op - op0;
}

/** Compress one block; returns null when the result would not be smaller than maxOut. */
export function blosclzEncode(src: Uint8Array, maxOut: number): Uint8Array | null {
  const n = src.length;
  if (n < MIN_MATCH + 2) return null;
  const out = new Uint8Array(maxOut + 64);
  const table = new Int32Array(1 << HASH_LOG).fill(-1);
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  let op = 0;
  let litStart = 0;
  // The stream must end with literals: the decoder stops before copying a final match.
  const matchLimit = n - MIN_MATCH - 1;
  const flushLiterals = (upTo: number): boolean => {
    let p = litStart;
    while (p < upTo) {
      const k = Math.min(32, upTo - p);
      if (op + 1 + k > maxOut) return false;
      out[op++] = k - 1;
      out.set(src.subarray(p, p + k), op);
      op += k;
      p += k;
    }
    litStart = upTo;
    return true;
  };
  let ip = 0;
  while (ip <= matchLimit) {
    const seq = dv.getUint32(ip, true);
    const h = Math.imul(seq, 2654435761) >>> (32 - HASH_LOG);
    const ref = table[h]!;
    table[h] = ip;
    const dist = ip - ref;
    if (ref < 0 || dist > MAX_FAR || dv.getUint32(ref, true) !== seq) {
      ip++;
      continue;
    }
    let len = MIN_MATCH;
    const maxLen = n - 1 - ip; // keep at least one trailing literal
    while (len < maxLen && src[ref + len] === src[ip + len]) len++;
    if (!flushLiterals(ip)) return null;
    if (op + 8 + Math.ceil(len / 255) > maxOut) return null;
    const d = dist - 1;
    const far = d >= MAX_NEAR;
    const hi = far ? 31 : d >>> 8;
    const rest = len - 2;
    if (rest < 7) out[op++] = (rest << 5) | hi;
    else {
      out[op++] = (7 << 5) | hi;
      let r = len - 9;
      while (r >= 255) {
        out[op++] = 255;
        r -= 255;
      }
      out[op++] = r;
    }
    if (far) {
      const f = d - MAX_NEAR;
      out[op++] = 255;
      out[op++] = f >>> 8;
      out[op++] = f & 255;
    } else out[op++] = d & 255;
    ip += len;
    litStart = ip;
    // Seed the table inside the match so later data can refer to it.
    if (ip - 2 <= matchLimit)
      table[Math.imul(dv.getUint32(ip - 2, true), 2654435761) >>> (32 - HASH_LOG)] = ip - 2;
  }
  if (!flushLiterals(n)) return null;
  if (op >= maxOut) return null;
  return out.subarray(0, op);
}
