// Passing chunks along a chain of generators without pinning them. A generator suspended at a
// `yield` keeps every local of its frame alive, so a loop variable that held chunk i (a
// `for await` binding, a `const c = ...` before `yield c`) keeps it until the reader asks for
// chunk i + 1. Down a chain of stages (loader, post office, input synchronisation, plugin) each
// suspended stage held the chunk it had passed on: a 10-minute run kept ~25 MB of raw_records
// and records that nothing would read again. Values handed over through these helpers live in
// an object field that is emptied as the value is taken, never in a generator's frame.

/** Values of an iterator, one at a time: `while (await t.more()) yield f(t.take())`. */
export class Taker<T> {
  private held: T | undefined;
  private done = false;

  constructor(private readonly it: AsyncIterator<T>) {}

  static of<T>(source: AsyncIterable<T>): Taker<T> {
    return new Taker(source[Symbol.asyncIterator]());
  }

  /** Fetch the next value; false at the end. */
  async more(): Promise<boolean> {
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    this.held = r.value;
    return true;
  }

  /** The value fetched by more(), which is no longer held here. */
  take(): T {
    const v = this.held as T;
    this.held = undefined;
    return v;
  }

  /** End the iterator early (what a `for await` loop does when left by break or throw). */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.held = undefined;
    await this.it.return?.(undefined);
  }
}

/** The values `produce` returns until it returns undefined, as an async generator that holds
 * none of them; `onClose` runs however the generator ends. */
export async function* unpinned<T>(
  produce: () => Promise<T | undefined>,
  onClose?: () => Promise<void>,
): AsyncGenerator<T> {
  const values = new Taker<T>({
    next: async () => {
      const value = await produce();
      return value === undefined ? { done: true, value: undefined } : { done: false, value };
    },
  });
  try {
    while (await values.more()) yield values.take();
  } finally {
    await onClose?.();
  }
}
