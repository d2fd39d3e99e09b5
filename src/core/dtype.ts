// A numpy-compatible structured dtype: ordered fields with byte offsets, so that rows can be
// read from and written to the exact bytes numpy (and hence strax) uses.

import { parsePythonLiteral, pyStrRepr, PyTuple, type PyValue } from './python/literal.js';

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

export interface Field {
  /** Field name; '' for numpy's unnamed padding (aligned layouts). */
  readonly name: string;
  /** strax keeps the field's description in numpy's title slot. */
  readonly title: string | null;
  /** numpy type string as written in a descr, e.g. '<i8', '|b1', '<U10', '|V3'. */
  readonly type: string;
  /** Sub-array shape; [] for a scalar field. */
  readonly shape: readonly number[];
  readonly offset: number;
}

export interface FieldSpec {
  name: string;
  type: string;
  title?: string | null;
  shape?: readonly number[];
}

interface ScalarInfo {
  kind: string;
  size: number;
}

const scalarInfoCache = new Map<string, ScalarInfo>();

/** Memoised: called per field on every slice and batch, the regex parse is worth caching. */
function scalarInfo(type: string): ScalarInfo {
  let info = scalarInfoCache.get(type);
  if (!info) scalarInfoCache.set(type, (info = parseScalarInfo(type)));
  return info;
}

function parseScalarInfo(type: string): ScalarInfo {
  const m = /^([<>|=]?)([biufcSUVM])(\d*)$/.exec(type);
  if (!m) throw new Error(`unsupported numpy type '${type}'`);
  const [, order, kind, digits] = m;
  if (order === '>' && digits !== '1') throw new Error(`big-endian numpy type '${type}' is not supported`);
  const n = digits === '' ? 1 : Number(digits);
  const size = kind === 'U' ? 4 * n : n;
  return { kind: kind!, size };
}

/** Normalise shorthand such as 'i8', 'float32' or 'bool' to numpy's descr spelling. */
export function normaliseType(type: string): string {
  const aliases: Record<string, string> = {
    bool: '|b1',
    int8: '|i1',
    uint8: '|u1',
    int16: '<i2',
    uint16: '<u2',
    int32: '<i4',
    uint32: '<u4',
    int64: '<i8',
    uint64: '<u8',
    float32: '<f4',
    float64: '<f8',
  };
  if (aliases[type]) return aliases[type]!;
  const m = /^([<>|=]?)([biufcSUVM])(\d*)$/.exec(type);
  if (!m) throw new Error(`unsupported numpy type '${type}'`);
  const [, , kind, digits] = m;
  const size = digits === '' ? 1 : Number(digits);
  const single =
    kind === 'S' || kind === 'V' || kind === 'b' || ((kind === 'i' || kind === 'u') && size === 1);
  return `${single ? '|' : '<'}${kind}${digits === '' ? '1' : digits}`;
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** The JS array that holds one numeric field; strings and voids are kept as raw bytes. */
export function arrayTypeFor(type: string): { ctor: TypedArrayConstructor; bytesPerElement: number } {
  const { kind, size } = scalarInfo(type);
  switch (`${kind}${size}`) {
    case 'i1':
      return { ctor: Int8Array, bytesPerElement: 1 };
    case 'u1':
    case 'b1':
      return { ctor: Uint8Array, bytesPerElement: 1 };
    case 'i2':
      return { ctor: Int16Array, bytesPerElement: 2 };
    case 'u2':
      return { ctor: Uint16Array, bytesPerElement: 2 };
    case 'i4':
      return { ctor: Int32Array, bytesPerElement: 4 };
    case 'u4':
      return { ctor: Uint32Array, bytesPerElement: 4 };
    case 'i8':
    case 'M8':
      return { ctor: BigInt64Array, bytesPerElement: 8 };
    case 'u8':
      return { ctor: BigUint64Array, bytesPerElement: 8 };
    case 'f4':
      return { ctor: Float32Array, bytesPerElement: 4 };
    case 'f8':
      return { ctor: Float64Array, bytesPerElement: 8 };
    default:
      if (kind === 'S' || kind === 'U' || kind === 'V') return { ctor: Uint8Array, bytesPerElement: 1 };
      throw new Error(`unsupported numpy type '${type}'`);
  }
}

export class DType {
  readonly fields: readonly Field[];
  readonly itemsize: number;
  private readonly byName: Map<string, Field>;

  constructor(fields: readonly Field[], itemsize?: number) {
    this.fields = fields;
    let end = 0;
    for (const f of fields) end = Math.max(end, f.offset + DType.fieldBytes(f));
    this.itemsize = itemsize ?? end;
    this.byName = new Map(fields.filter((f) => f.name !== '').map((f) => [f.name, f]));
  }

  /** Packed layout from field specs (strax's plugin dtypes are packed). */
  static of(specs: readonly FieldSpec[]): DType {
    let offset = 0;
    const fields: Field[] = [];
    for (const s of specs) {
      const f: Field = {
        name: s.name,
        title: s.title ?? null,
        type: normaliseType(s.type),
        shape: [...(s.shape ?? [])],
        offset,
      };
      fields.push(f);
      offset += DType.fieldBytes(f);
    }
    return new DType(fields);
  }

  static fieldBytes(f: Pick<Field, 'type' | 'shape'>): number {
    return scalarInfo(f.type).size * elementCount(f.shape);
  }

  /** Parse the Python repr of a numpy descr, as strax writes it into metadata. */
  static fromDescr(text: string): DType {
    return DType.fromDescrValue(parsePythonLiteral(text));
  }

  /** Build from an already parsed descr (e.g. the 'descr' entry of a .npy header). */
  static fromDescrValue(value: PyValue): DType {
    if (!Array.isArray(value)) throw new Error('dtype descr is not a list');
    const specs: FieldSpec[] = value.map((entry) => {
      const items = entry instanceof PyTuple ? entry.items : null;
      if (!items || items.length < 2)
        throw new Error('dtype descr entry is not a (name, type[, shape]) tuple');
      const [nameItem, typeItem, shapeItem] = items;
      let name: string;
      let title: string | null = null;
      if (nameItem instanceof PyTuple) {
        title = String(nameItem.items[0]);
        name = String(nameItem.items[1]);
      } else name = String(nameItem);
      if (typeof typeItem !== 'string') throw new Error(`nested dtype for field '${name}' is not supported`);
      const shape = shapeItem instanceof PyTuple ? shapeItem.items.map((x) => Number(x)) : [];
      return { name, title, type: typeItem, shape };
    });
    // A descr lists padding explicitly, so a packed walk reproduces numpy's offsets.
    return DType.of(specs);
  }

  /** The descr as Python's repr, byte-identical to what strax writes. */
  toDescr(): string {
    const q = pyStrRepr;
    const parts = this.fields.map((f) => {
      const name = f.title !== null ? `(${q(f.title)}, ${q(f.name)})` : q(f.name);
      const shape = f.shape.length === 0 ? '' : `, (${f.shape.join(', ')}${f.shape.length === 1 ? ',' : ''})`;
      return `(${name}, ${q(f.type)}${shape})`;
    });
    return `[${parts.join(', ')}]`;
  }

  get names(): string[] {
    return this.fields.filter((f) => f.name !== '').map((f) => f.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  field(name: string): Field {
    const f = this.byName.get(name);
    if (!f) throw new Error(`no field '${name}' in dtype (fields: ${this.names.join(', ')})`);
    return f;
  }

  /** Equal layout and names (titles ignored, as strax's comparisons strip them). */
  sameLayout(other: DType): boolean {
    if (this.itemsize !== other.itemsize || this.fields.length !== other.fields.length) return false;
    return this.fields.every((f, i) => {
      const g = other.fields[i]!;
      return (
        f.name === g.name && f.type === g.type && f.offset === g.offset && f.shape.join() === g.shape.join()
      );
    });
  }

  /** Fields from several dtypes merged, keeping the first occurrence of each name (strax's merged_dtype). */
  static merge(dtypes: readonly DType[]): DType {
    const seen = new Set<string>();
    const specs: FieldSpec[] = [];
    for (const d of dtypes) {
      for (const f of d.fields) {
        if (f.name === '' || seen.has(f.name)) continue;
        seen.add(f.name);
        specs.push({ name: f.name, title: f.title, type: f.type, shape: f.shape });
      }
    }
    return DType.of(specs);
  }

  /** Subset of fields (packed); unknown names are an error. */
  select(names: readonly string[]): DType {
    return DType.of(
      names.map((n) => {
        const f = this.field(n);
        return { name: f.name, title: f.title, type: f.type, shape: f.shape };
      }),
    );
  }

  specs(): FieldSpec[] {
    return this.fields.map((f) => ({ name: f.name, title: f.title, type: f.type, shape: [...f.shape] }));
  }

  /**
   * numpy's aligned layout of the same fields (np.dtype(..., align=True), which straxen's
   * PeaksVanilla uses so numba accepts the record type): each field starts at a multiple of its
   * scalar's size, the row size is a multiple of the largest alignment, and the gaps appear in
   * the descr as ('', '|Vn').
   */
  aligned(): DType {
    const fields: Field[] = [];
    let offset = 0,
      maxAlign = 1;
    const pad = (n: number): void => {
      if (n > 0) fields.push({ name: '', title: null, type: `|V${n}`, shape: [], offset });
      offset += n;
    };
    for (const f of this.fields) {
      if (f.name === '') continue;
      const a = alignmentOf(f.type);
      maxAlign = Math.max(maxAlign, a);
      pad((a - (offset % a)) % a);
      fields.push({ ...f, offset });
      offset += DType.fieldBytes(f);
    }
    pad((maxAlign - (offset % maxAlign)) % maxAlign);
    return new DType(fields, offset);
  }
}

/** numpy's alignment of a scalar type: its size (half of it for complex); strings and voids 1. */
function alignmentOf(type: string): number {
  const m = /^[<>|=]?([biufcM])(\d+)$/.exec(type);
  if (!m) return 1;
  const size = Number(m[2]);
  return m[1] === 'c' ? size / 2 : size;
}

export type { PyValue };
