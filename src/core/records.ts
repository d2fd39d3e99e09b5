// A columnar batch of rows of one structured dtype: one typed array per named field,
// sub-array fields flattened row-major (row i of a field with k elements is [i*k, (i+1)*k)).
// int64 fields are BigInt64Array, so epoch nanoseconds stay exact.

import {
  DType,
  arrayTypeFor,
  elementCount,
  type Field,
  type TypedArray,
  type TypedArrayConstructor,
} from './dtype.js';
import { columnsToRows, rowsToColumns, type FieldSlot } from './row-layout.js';

export type Columns = Record<string, TypedArray>;

interface ColumnKind {
  ctor: TypedArrayConstructor;
  /** Elements per row. */
  width: number;
}

// Worked out once per field: batches are made, sliced and joined several times per chunk, and
// parsing the field's type each time showed in profiles.
const columnKinds = new WeakMap<Field, ColumnKind>();

function columnKind(f: Field): ColumnKind {
  let k = columnKinds.get(f);
  if (!k) {
    const { ctor, bytesPerElement } = arrayTypeFor(f.type);
    columnKinds.set(f, (k = { ctor, width: DType.fieldBytes(f) / bytesPerElement }));
  }
  return k;
}

const columnWidth = (f: Field): number => columnKind(f).width;

export class Records {
  readonly dtype: DType;
  readonly length: number;
  readonly columns: Columns;

  constructor(dtype: DType, length: number, columns: Columns) {
    this.dtype = dtype;
    this.length = length;
    this.columns = columns;
    for (const f of dtype.fields) {
      if (f.name === '') continue;
      const col = columns[f.name];
      if (!col) throw new Error(`Records: missing column '${f.name}'`);
      const want = length * columnWidth(f);
      if (col.length !== want)
        throw new Error(`Records: column '${f.name}' has ${col.length} elements, expected ${want}`);
    }
  }

  /** Zero-filled rows. */
  static empty(dtype: DType, length = 0): Records {
    const columns: Columns = {};
    for (const f of dtype.fields) {
      if (f.name === '') continue;
      const { ctor, width } = columnKind(f);
      columns[f.name] = new ctor(length * width);
    }
    return new Records(dtype, length, columns);
  }

  /** Number of array elements one row holds in a field (1 for scalars; bytes for strings). */
  width(name: string): number {
    return columnWidth(this.dtype.field(name));
  }

  /** A column of any type; read it through the accessor of its type (i16, f32, ...) to get a
   * typed array, which checks the field's real type. */
  col(name: string): TypedArray {
    const c = this.columns[name];
    if (!c) throw new Error(`no field '${name}' (fields: ${this.dtype.names.join(', ')})`);
    return c;
  }

  /** A column of a known element type: reading an int16 field as int32 throws instead of
   * handing back a mistyped view. */
  private typed<T extends TypedArray>(
    name: string,
    ctor: abstract new (...a: never[]) => T,
    what: string,
  ): T {
    const c = this.col(name);
    if (!(c instanceof ctor)) {
      throw new Error(
        `field '${name}' is ${this.dtype.field(name).type}, not ${what}: read it with the accessor of its type`,
      );
    }
    return c;
  }

  i64(name: string): BigInt64Array {
    return this.typed(name, BigInt64Array, 'int64');
  }
  f32(name: string): Float32Array {
    return this.typed(name, Float32Array, 'float32');
  }
  f64(name: string): Float64Array {
    return this.typed(name, Float64Array, 'float64');
  }
  i32(name: string): Int32Array {
    return this.typed(name, Int32Array, 'int32');
  }
  i16(name: string): Int16Array {
    return this.typed(name, Int16Array, 'int16');
  }
  i8(name: string): Int8Array {
    return this.typed(name, Int8Array, 'int8');
  }
  /** An integer field of up to 32 bits, whatever its width (e.g. dt: int16 in records, int32 in peaks). */
  ints(name: string): Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array {
    const c = this.col(name);
    if (
      c instanceof Int8Array ||
      c instanceof Int16Array ||
      c instanceof Int32Array ||
      c instanceof Uint8Array ||
      c instanceof Uint16Array ||
      c instanceof Uint32Array
    )
      return c;
    throw new Error(`field '${name}' is ${this.dtype.field(name).type}, not an integer of up to 32 bits`);
  }
  /** uint8 and bool fields. */
  u8(name: string): Uint8Array {
    return this.typed(name, Uint8Array, 'uint8 or bool');
  }

  get nbytes(): number {
    return this.length * this.dtype.itemsize;
  }

  /** Rows [start, end) as views on the same memory. */
  slice(start: number, end: number = this.length): Records {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    // No rows: no view either, or the empty remainder a split leaves would keep the whole chunk's
    // buffers alive while the next chunk is read.
    if (end === start) return Records.empty(this.dtype, 0);
    const columns: Columns = {};
    for (const f of this.dtype.fields) {
      if (f.name === '') continue;
      const w = columnWidth(f);
      columns[f.name] = this.columns[f.name]!.subarray(start * w, end * w);
    }
    return new Records(this.dtype, end - start, columns);
  }

  /** Rows at the given indices, copied. */
  take(indices: ArrayLike<number>): Records {
    const out = Records.empty(this.dtype, indices.length);
    for (const f of this.dtype.fields) {
      if (f.name === '') continue;
      const w = columnWidth(f);
      const src = this.columns[f.name]!;
      const dst = out.columns[f.name]!;
      if (w === 1) {
        for (let i = 0; i < indices.length; i++)
          (dst as Float64Array)[i] = (src as Float64Array)[indices[i]!]!;
      } else {
        for (let i = 0; i < indices.length; i++) {
          const j = indices[i]!;
          (dst as Float64Array).set((src as Float64Array).subarray(j * w, (j + 1) * w), i * w);
        }
      }
    }
    return out;
  }

  /**
   * Rows picked from several batches into one of `dtype` (possibly laid out differently), by
   * field name: row k is row rows[k] of sources[from[k]]; fields a source lacks stay zero.
   * (numpy's concatenate, fancy indexing and copy into a buffer of another dtype.)
   */
  static gather(dtype: DType, sources: readonly Records[], from: Uint8Array, rows: Int32Array): Records {
    const out = Records.empty(dtype, rows.length);
    for (const name of dtype.names) {
      // Each field moves as words of the widest size its row width and alignment allow, so
      // the copy loops see one array kind whatever the field's type (and no BigInts).
      const dst = out.col(name);
      const rowBytes = out.width(name) * dst.BYTES_PER_ELEMENT;
      const cols = sources.map((s) => (s.dtype.has(name) ? s.col(name) : null));
      const aligned = (k: number): boolean =>
        rowBytes % k === 0 && [dst, ...cols].every((c) => !c || c.byteOffset % k === 0);
      if (aligned(4))
        gatherWords(
          words32(dst),
          cols.map((c) => c && words32(c)),
          from,
          rows,
          rowBytes / 4,
        );
      else if (aligned(2))
        gatherWords16(
          words16(dst),
          cols.map((c) => c && words16(c)),
          from,
          rows,
          rowBytes / 2,
        );
      else
        gatherWords8(
          words8(dst),
          cols.map((c) => c && words8(c)),
          from,
          rows,
          rowBytes,
        );
    }
    return out;
  }

  /** Rows where mask is truthy. */
  filter(mask: ArrayLike<number | boolean>): Records {
    const idx: number[] = [];
    for (let i = 0; i < this.length; i++) if (mask[i]) idx.push(i);
    return this.take(idx);
  }

  /** Same rows, only the named fields (views, no copy). */
  pick(names: readonly string[]): Records {
    const dtype = this.dtype.select(names);
    const columns: Columns = {};
    for (const n of names) columns[n] = this.col(n);
    return new Records(dtype, this.length, columns);
  }

  /** Same rows reinterpreted under a dtype with the same field names (e.g. new titles). */
  withDType(dtype: DType): Records {
    return new Records(dtype, this.length, this.columns);
  }

  static concat(parts: readonly Records[], dtype?: DType): Records {
    const d = dtype ?? parts[0]?.dtype;
    if (!d) throw new Error('Records.concat: no parts and no dtype');
    if (parts.length === 1 && parts[0]!.dtype === d) return parts[0]!;
    const total = parts.reduce((s, p) => s + p.length, 0);
    const out = Records.empty(d, total);
    for (const f of d.fields) {
      if (f.name === '') continue;
      const w = columnWidth(f);
      const dst = out.columns[f.name]! as Float64Array;
      let at = 0;
      for (const p of parts) {
        dst.set(p.col(f.name) as Float64Array, at);
        at += p.length * w;
      }
    }
    return out;
  }

  /** Column-wise merge of same-length batches (strax merge_arrs): the last batch with a field wins. */
  static mergeColumns(parts: readonly Records[], dtype?: DType): Records {
    if (parts.length === 0) throw new Error('Records.mergeColumns: nothing to merge');
    const n = parts[0]!.length;
    const columns: Columns = {};
    for (const p of parts) {
      if (p.length !== n) throw new Error(`Records.mergeColumns: lengths differ (${n} vs ${p.length})`);
      Object.assign(columns, p.columns);
    }
    const d = dtype ?? DType.merge(parts.map((p) => p.dtype));
    const own: Columns = {};
    for (const name of d.names) own[name] = columns[name]!;
    return new Records(d, n, own);
  }

  /** Build from plain column arrays (numbers, bigints or typed arrays), converting types. */
  static fromColumns(
    dtype: DType,
    length: number,
    values: Record<string, ArrayLike<number | bigint> | TypedArray>,
  ): Records {
    const out = Records.empty(dtype, length);
    for (const name of dtype.names) {
      const v = values[name];
      if (v === undefined) continue;
      const dst = out.columns[name]!;
      if (dst instanceof BigInt64Array || dst instanceof BigUint64Array) {
        for (let i = 0; i < dst.length; i++) dst[i] = BigInt(v[i] as number | bigint);
      } else {
        for (let i = 0; i < dst.length; i++) (dst as Float64Array)[i] = Number(v[i]);
      }
    }
    return out;
  }

  /** Rows from numpy's bytes (the layout given by dtype offsets and itemsize). */
  static fromBytes(dtype: DType, bytes: Uint8Array): Records {
    if (bytes.length % dtype.itemsize !== 0) {
      throw new Error(`${bytes.length} bytes is not a whole number of ${dtype.itemsize}-byte rows`);
    }
    const n = bytes.length / dtype.itemsize;
    const out = Records.empty(dtype, n);
    rowsToColumns(bytes, dtype.itemsize, n, out.#slots());
    return out;
  }

  /** numpy's bytes for these rows (padding zero-filled), or written into `out` (zero-filled,
   * exactly nbytes long: e.g. a part of a larger buffer). */
  toBytes(out?: Uint8Array): Uint8Array {
    if (out && out.length !== this.nbytes)
      throw new Error(`toBytes: ${out.length} bytes given for ${this.nbytes}`);
    out ??= new Uint8Array(this.length * this.dtype.itemsize);
    columnsToRows(out, this.dtype.itemsize, this.length, this.#slots());
    return out;
  }

  /** Each named field's place in a row and its column's bytes. */
  #slots(): FieldSlot[] {
    return this.dtype.fields
      .filter((f) => f.name !== '')
      .map((f) => {
        const col = this.columns[f.name]!;
        return {
          offset: f.offset,
          bytes: DType.fieldBytes(f),
          column: new Uint8Array(col.buffer, col.byteOffset, col.byteLength),
        };
      });
  }

  /** One row as a plain object (for display and tests; slow). */
  row(i: number): Record<string, number | bigint | number[] | bigint[] | string> {
    const o: Record<string, number | bigint | number[] | bigint[] | string> = {};
    for (const f of this.dtype.fields) {
      if (f.name === '') continue;
      const w = columnWidth(f);
      const c = this.columns[f.name]!;
      if (/^[|<>]?[SUV]/.test(f.type))
        o[f.name] = decodeText(f.type, (c as Uint8Array).subarray(i * w, (i + 1) * w));
      else if (elementCount(f.shape) === 1 && f.shape.length === 0) o[f.name] = c[i]!;
      else o[f.name] = Array.from(c.subarray(i * w, (i + 1) * w) as Float64Array);
    }
    return o;
  }
}

const words32 = (c: TypedArray): Int32Array => new Int32Array(c.buffer, c.byteOffset, c.byteLength >> 2);
const words16 = (c: TypedArray): Int16Array => new Int16Array(c.buffer, c.byteOffset, c.byteLength >> 1);
const words8 = (c: TypedArray): Uint8Array => new Uint8Array(c.buffer, c.byteOffset, c.byteLength);

// Records.gather's copy, one function per word size: row k of dst is row rows[k] of
// srcs[from[k]] (left as is where that source is null), w words a row.
function gatherWords(
  dst: Int32Array,
  srcs: readonly (Int32Array | null)[],
  from: Uint8Array,
  rows: Int32Array,
  w: number,
): void {
  for (let k = 0; k < rows.length; k++) {
    const src = srcs[from[k]!];
    if (!src) continue;
    for (let j = 0, s = rows[k]! * w, d = k * w; j < w; j++) dst[d + j] = src[s + j]!;
  }
}
function gatherWords16(
  dst: Int16Array,
  srcs: readonly (Int16Array | null)[],
  from: Uint8Array,
  rows: Int32Array,
  w: number,
): void {
  for (let k = 0; k < rows.length; k++) {
    const src = srcs[from[k]!];
    if (!src) continue;
    for (let j = 0, s = rows[k]! * w, d = k * w; j < w; j++) dst[d + j] = src[s + j]!;
  }
}
function gatherWords8(
  dst: Uint8Array,
  srcs: readonly (Uint8Array | null)[],
  from: Uint8Array,
  rows: Int32Array,
  w: number,
): void {
  for (let k = 0; k < rows.length; k++) {
    const src = srcs[from[k]!];
    if (!src) continue;
    for (let j = 0, s = rows[k]! * w, d = k * w; j < w; j++) dst[d + j] = src[s + j]!;
  }
}

function decodeText(type: string, bytes: Uint8Array): string {
  if (type.includes('U')) {
    let s = '';
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k + 4 <= bytes.length; k += 4) {
      const cp = dv.getUint32(k, true);
      if (cp === 0) break;
      s += String.fromCodePoint(cp);
    }
    return s;
  }
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  return Buffer.from(bytes.subarray(0, end)).toString('latin1');
}
