// Which rows may move to a worker thread without a copy. Posting a typed array to a worker
// either clones its whole buffer or transfers (detaches) it; a detached buffer reads as empty,
// so only memory nothing else will read again may be transferred. Two facts must both hold:
// the buffers were made for these rows alone (freshly decoded chunks, worker results: marked
// here by whoever made them), and the engine knows the chunk has exactly one reader and no saver.

import type { TypedArray } from '../dtype.js';
import type { Records } from '../records.js';

const soleOwned = new WeakSet<ArrayBuffer>();

/** Record that these rows' buffers are theirs alone: each buffer one column spans entirely
 * (a buffer two columns share, or one a column covers only in part, stays unmarked). */
export function markSoleOwner(...rows: readonly Records[]): void {
  const uses = new Map<ArrayBufferLike, number>();
  const cols = rows.flatMap((r) => Object.values(r.columns));
  for (const c of cols) uses.set(c.buffer, (uses.get(c.buffer) ?? 0) + 1);
  for (const c of cols)
    if (c.buffer instanceof ArrayBuffer && uses.get(c.buffer) === 1 && isWhole(c)) soleOwned.add(c.buffer);
}

const isWhole = (c: TypedArray): boolean => c.byteOffset === 0 && c.byteLength === c.buffer.byteLength;

/** May this column's buffer be transferred (it is marked and the column spans all of it)? */
export function isSoleOwned(c: TypedArray): boolean {
  const b = c.buffer;
  return b instanceof ArrayBuffer && soleOwned.has(b) && isWhole(c);
}

/**
 * The first buffer a thread detaches (transfers away) makes V8 throw away every optimised
 * function that reads typed arrays: that code relied on no buffer ever being detached, and is
 * then compiled again. Threads that will transfer buffers detach a dummy one when they start,
 * before any kernel is hot, so the kernels are compiled once (already with that check).
 */
export function detachOnceEarly(): void {
  const b = new ArrayBuffer(8);
  structuredClone(b, { transfer: [b] });
}
