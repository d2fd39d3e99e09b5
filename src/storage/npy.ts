// numpy's .npy format (versions 1.0, 2.0 and 3.0) for one-dimensional structured arrays, plain
// or gzip-compressed, so straxts can read numpy exports and write files np.load accepts.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DType, type Field } from '../core/dtype.js';
import { parsePythonLiteral, PyDict, PyTuple, type PyValue } from '../core/python/literal.js';
import { Records } from '../core/records.js';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const ALIGN = 64;

export class NpyFormatError extends Error {}

export interface NpyHeader {
  version: [number, number];
  dtype: DType;
  shape: number[];
  fortranOrder: boolean;
  /** Byte offset of the data section. */
  dataOffset: number;
}

/** A void field numpy named itself (f<index>) is the padding strax wrote as ('', '|Vn'). */
function isAutoPadding(name: string, type: string, index: number): boolean {
  return /^\|?V\d+$/.test(type) && (name === '' || name === `f${index}`);
}

export function parseNpyHeader(bytes: Uint8Array, what = '.npy data'): NpyHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC))
    throw new NpyFormatError(`${what}: not a .npy file (bad magic)`);
  const major = buf[6]!,
    minor = buf[7]!;
  let headerLen: number, start: number;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw new NpyFormatError(`${what}: truncated .npy header`);
    headerLen = buf.readUInt32LE(8);
    start = 12;
  } else throw new NpyFormatError(`${what}: unsupported .npy version ${major}.${minor}`);
  if (start + headerLen > buf.length) throw new NpyFormatError(`${what}: truncated .npy header`);
  const text = buf.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  let header: PyValue;
  try {
    header = parsePythonLiteral(text.trim());
  } catch (e) {
    throw new NpyFormatError(`${what}: unreadable .npy header (${(e as Error).message})`);
  }
  if (!(header instanceof PyDict)) throw new NpyFormatError(`${what}: .npy header is not a dict`);
  const descr = header.get('descr');
  if (!Array.isArray(descr))
    throw new NpyFormatError(`${what}: only structured arrays are supported (descr ${String(descr)})`);
  const shapeV = header.get('shape');
  if (!(shapeV instanceof PyTuple)) throw new NpyFormatError(`${what}: .npy header has no shape`);
  const shape = shapeV.items.map(Number);
  const fortranOrder = header.get('fortran_order') === true;
  const raw = DType.fromDescrValue(descr);
  const fields: Field[] = raw.fields.map((f, i) =>
    isAutoPadding(f.name, f.type, i) ? { ...f, name: '' } : f,
  );
  return {
    version: [major, minor],
    dtype: new DType(fields, raw.itemsize),
    shape,
    fortranOrder,
    dataOffset: start + headerLen,
  };
}

/** Rows of a .npy file's bytes (gzip detected by its magic). */
export function decodeNpy(bytes: Uint8Array, what = '.npy data'): Records {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const h = parseNpyHeader(bytes, what);
  if (h.shape.length > 1)
    throw new NpyFormatError(
      `${what}: only one-dimensional arrays are supported (shape ${h.shape.join('x')})`,
    );
  const n = h.shape.length === 0 ? 1 : h.shape[0]!;
  const need = n * h.dtype.itemsize;
  const data = bytes.subarray(h.dataOffset);
  if (data.length < need)
    throw new NpyFormatError(`${what}: truncated data (${data.length} of ${need} bytes)`);
  // Copy into an aligned buffer: fromBytes copies per field anyway, but alignment keeps it fast.
  const aligned = new Uint8Array(need);
  aligned.set(data.subarray(0, need));
  return Records.fromBytes(h.dtype, aligned);
}

export function readNpy(path: string): Records {
  return decodeNpy(readFileSync(path), path);
}

/** The descr text with padding named as numpy names it once loaded (f<index>). */
function npyDescr(dtype: DType): string {
  const fields = dtype.fields.map((f, i) => (f.name === '' ? { ...f, name: `f${i}` } : f));
  return new DType(fields, dtype.itemsize).toDescr();
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** The header bytes np.save would write for these rows. */
export function npyHeader(dtype: DType, length: number): Buffer {
  // numpy leaves room for the row count to grow to 21 digits, so the header can be rewritten in place.
  const dict =
    `{'descr': ${npyDescr(dtype)}, 'fortran_order': False, 'shape': (${length},), }` +
    ' '.repeat(Math.max(0, 21 - String(length).length));
  const latin = isLatin1(dict);
  const body = Buffer.from(dict, latin ? 'latin1' : 'utf8');
  const build = (lenBytes: number): Buffer | null => {
    const pad = ALIGN - ((MAGIC.length + 2 + lenBytes + body.length + 1) % ALIGN);
    // numpy pads with 1..64 spaces (a full 64 when already aligned).
    const hlen = body.length + pad + 1;
    const pre = Buffer.alloc(MAGIC.length + 2 + lenBytes);
    MAGIC.copy(pre);
    pre[6] = latin ? (lenBytes === 2 ? 1 : 2) : 3;
    pre[7] = 0;
    if (lenBytes === 2) {
      if (hlen > 0xffff) return null;
      pre.writeUInt16LE(hlen, 8);
    } else pre.writeUInt32LE(hlen, 8);
    return Buffer.concat([pre, body, Buffer.alloc(pad, 0x20), Buffer.from('\n')]);
  };
  return (latin ? build(2) : null) ?? build(4)!;
}

export function encodeNpy(records: Records): Buffer {
  return Buffer.concat([npyHeader(records.dtype, records.length), records.toBytes()]);
}
