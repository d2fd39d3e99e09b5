// Moving fields between numpy's packed rows and per-field columns. strax rows are packed
// (records are 257 bytes), so most fields sit at unaligned addresses and no typed-array view of
// the rows exists. Copying field by field over the whole batch walks every cache line once per
// field; instead rows are taken in blocks that stay in cache, all fields of a block at a time.
// Words move as integers (DataView get/setUint*), never as floats, so NaN payloads are kept.

/** One field: its byte offset in a row, its byte length, and its column's bytes. */
export interface FieldSlot { offset: number; bytes: number; column: Uint8Array }

/** Rows per block: a few hundred rows of a few hundred bytes stay in L2. */
const BLOCK = 256;

const view = (a: Uint8Array): DataView => new DataView(a.buffer, a.byteOffset, a.byteLength);

/** Copy every slot's field out of `n` packed rows of `itemsize` bytes into its column. */
export function rowsToColumns(rows: Uint8Array, itemsize: number, n: number, slots: readonly FieldSlot[]): void {
  if (n === 0) return;
  const rv = view(rows);
  const cols = slots.map((s) => view(s.column));
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const b1 = Math.min(n, b0 + BLOCK);
    for (let k = 0; k < slots.length; k++) {
      const { offset, bytes, column } = slots[k]!;
      if (bytes === itemsize) {
        column.set(rows.subarray(b0 * itemsize, b1 * itemsize), b0 * itemsize);
        continue;
      }
      const cv = cols[k]!;
      const src = b0 * itemsize + offset;
      if (bytes === 1) fromRows1(rows, column, itemsize, src, b0, b1);
      else if (bytes === 2) fromRows2(rv, cv, itemsize, src, b0, b1);
      else if (bytes === 4) fromRows4(rv, cv, itemsize, src, b0, b1);
      else if (bytes === 8) fromRows8(rv, cv, itemsize, src, b0, b1);
      else if (bytes > 16) {
        for (let r = b0, si = src, di = b0 * bytes; r < b1; r++, si += itemsize, di += bytes) column.set(rows.subarray(si, si + bytes), di);
      } else {
        for (let r = b0, si = src, di = b0 * bytes; r < b1; r++, si += itemsize) for (let j = 0; j < bytes; j++) column[di++] = rows[si + j]!;
      }
    }
  }
}

/** Copy every slot's column into its field of `n` packed rows (other bytes are left as they are). */
export function columnsToRows(rows: Uint8Array, itemsize: number, n: number, slots: readonly FieldSlot[]): void {
  if (n === 0) return;
  const rv = view(rows);
  const cols = slots.map((s) => view(s.column));
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const b1 = Math.min(n, b0 + BLOCK);
    for (let k = 0; k < slots.length; k++) {
      const { offset, bytes, column } = slots[k]!;
      if (bytes === itemsize) {
        rows.set(column.subarray(b0 * itemsize, b1 * itemsize), b0 * itemsize);
        continue;
      }
      const cv = cols[k]!;
      const dst = b0 * itemsize + offset;
      if (bytes === 1) toRows1(rows, column, itemsize, dst, b0, b1);
      else if (bytes === 2) toRows2(rv, cv, itemsize, dst, b0, b1);
      else if (bytes === 4) toRows4(rv, cv, itemsize, dst, b0, b1);
      else if (bytes === 8) toRows8(rv, cv, itemsize, dst, b0, b1);
      else if (bytes > 16) {
        for (let r = b0, di = dst, si = b0 * bytes; r < b1; r++, di += itemsize, si += bytes) rows.set(column.subarray(si, si + bytes), di);
      } else {
        for (let r = b0, di = dst, si = b0 * bytes; r < b1; r++, di += itemsize) for (let j = 0; j < bytes; j++) rows[di + j] = column[si++]!;
      }
    }
  }
}

// One small function per word size keeps each loop monomorphic and easy for the JIT.
function fromRows1(rows: Uint8Array, col: Uint8Array, item: number, si: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, si += item) col[r] = rows[si]!;
}
function fromRows2(rv: DataView, cv: DataView, item: number, si: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, si += item) cv.setUint16(2 * r, rv.getUint16(si, true), true);
}
function fromRows4(rv: DataView, cv: DataView, item: number, si: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, si += item) cv.setUint32(4 * r, rv.getUint32(si, true), true);
}
function fromRows8(rv: DataView, cv: DataView, item: number, si: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, si += item) {
    cv.setUint32(8 * r, rv.getUint32(si, true), true);
    cv.setUint32(8 * r + 4, rv.getUint32(si + 4, true), true);
  }
}
function toRows1(rows: Uint8Array, col: Uint8Array, item: number, di: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, di += item) rows[di] = col[r]!;
}
function toRows2(rv: DataView, cv: DataView, item: number, di: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, di += item) rv.setUint16(di, cv.getUint16(2 * r, true), true);
}
function toRows4(rv: DataView, cv: DataView, item: number, di: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, di += item) rv.setUint32(di, cv.getUint32(4 * r, true), true);
}
function toRows8(rv: DataView, cv: DataView, item: number, di: number, b0: number, b1: number): void {
  for (let r = b0; r < b1; r++, di += item) {
    rv.setUint32(di, cv.getUint32(8 * r, true), true);
    rv.setUint32(di + 4, cv.getUint32(8 * r + 4, true), true);
  }
}
