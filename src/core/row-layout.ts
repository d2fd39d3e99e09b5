// Moving fields between numpy's packed rows and per-field columns. strax rows are packed
// (records are 257 bytes), so most fields sit at unaligned addresses and no typed-array view of
// the rows exists. Copying field by field over the whole batch walks every cache line once per
// field; instead rows are taken in blocks that stay in cache, all fields of a block at a time.
// Words move as integers (DataView get/setUint*), never as floats, so NaN payloads are kept.

/** One field: its byte offset in a row, its byte length, and its column's bytes. */
export interface FieldSlot {
  offset: number;
  bytes: number;
  column: Uint8Array;
}

/** Rows per block: a few hundred rows of a few hundred bytes stay in L2. */
const BLOCK = 256;

const view = (a: Uint8Array): DataView => new DataView(a.buffer, a.byteOffset, a.byteLength);

/** Copy every slot's field out of `n` packed rows of `itemsize` bytes into its column. */
export function rowsToColumns(
  rows: Uint8Array,
  itemsize: number,
  n: number,
  slots: readonly FieldSlot[],
): void {
  moveFields(rows, itemsize, n, slots, false);
}

/** Copy every slot's column into its field of `n` packed rows (other bytes are left as they are). */
export function columnsToRows(
  rows: Uint8Array,
  itemsize: number,
  n: number,
  slots: readonly FieldSlot[],
): void {
  moveFields(rows, itemsize, n, slots, true);
}

function moveFields(
  rows: Uint8Array,
  itemsize: number,
  n: number,
  slots: readonly FieldSlot[],
  toRows: boolean,
): void {
  if (n === 0) return;
  // Node's Buffers (what the codecs return) are a subclass of Uint8Array: a plain view of the
  // same bytes keeps the copy loops seeing one kind of array.
  rows = new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength);
  const rv = view(rows);
  const cols = slots.map((s) => view(s.column));
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const b1 = Math.min(n, b0 + BLOCK);
    for (let k = 0; k < slots.length; k++) {
      const { offset, bytes, column } = slots[k]!;
      const rowAt = b0 * itemsize + offset,
        colAt = b0 * bytes;
      // Rows are the strided side (every itemsize bytes), the column the dense one.
      if (toRows) copyStrided(column, cols[k]!, colAt, bytes, rows, rv, rowAt, itemsize, bytes, b1 - b0);
      else copyStrided(rows, rv, rowAt, itemsize, column, cols[k]!, colAt, bytes, bytes, b1 - b0);
    }
  }
}

/** Copy `count` words of `bytes` bytes: word i from src at si + i·ss to dst at di + i·ds. */
function copyStrided(
  src: Uint8Array,
  sv: DataView,
  si: number,
  ss: number,
  dst: Uint8Array,
  dv: DataView,
  di: number,
  ds: number,
  bytes: number,
  count: number,
): void {
  if (bytes === ss && bytes === ds) dst.set(src.subarray(si, si + count * bytes), di);
  else if (bytes === 1) copy1(src, si, ss, dst, di, ds, count);
  else if (bytes === 2) copy2(sv, si, ss, dv, di, ds, count);
  else if (bytes === 4) copy4(sv, si, ss, dv, di, ds, count);
  else if (bytes === 8) copy8(sv, si, ss, dv, di, ds, count);
  else if (bytes > 16)
    // a view per row (short-lived garbage), but a native copy: faster than any word loop here
    for (let r = 0; r < count; r++, si += ss, di += ds) dst.set(src.subarray(si, si + bytes), di);
  else
    for (let r = 0; r < count; r++, si += ss, di += ds)
      for (let j = 0; j < bytes; j++) dst[di + j] = src[si + j]!;
}

// One small function per word size keeps each loop monomorphic and easy for the JIT.
function copy1(
  s: Uint8Array,
  si: number,
  ss: number,
  d: Uint8Array,
  di: number,
  ds: number,
  count: number,
): void {
  for (let r = 0; r < count; r++, si += ss, di += ds) d[di] = s[si]!;
}
function copy2(
  s: DataView,
  si: number,
  ss: number,
  d: DataView,
  di: number,
  ds: number,
  count: number,
): void {
  for (let r = 0; r < count; r++, si += ss, di += ds) d.setUint16(di, s.getUint16(si, true), true);
}
function copy4(
  s: DataView,
  si: number,
  ss: number,
  d: DataView,
  di: number,
  ds: number,
  count: number,
): void {
  for (let r = 0; r < count; r++, si += ss, di += ds) d.setUint32(di, s.getUint32(si, true), true);
}
function copy8(
  s: DataView,
  si: number,
  ss: number,
  d: DataView,
  di: number,
  ds: number,
  count: number,
): void {
  for (let r = 0; r < count; r++, si += ss, di += ds) {
    d.setUint32(di, s.getUint32(si, true), true);
    d.setUint32(di + 4, s.getUint32(si + 4, true), true);
  }
}
