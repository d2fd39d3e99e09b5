import { describe, expect, it } from 'vitest';
import { Chunk } from '../../src/core/chunk.js';
import { Records } from '../../src/core/records.js';
import { intervalDtype } from '../../src/core/standard-dtypes.js';
import type { Saver } from '../../src/core/storage-api.js';
import { SaverSpy } from '../../src/core/engine/post-office.js';

const chunk = (i: number): Chunk =>
  new Chunk({
    runId: '0',
    dataType: 'things',
    dataKind: 'things',
    start: BigInt(i * 10),
    end: BigInt(i * 10 + 10),
    data: Records.empty(intervalDtype(), 0),
  });

/** A saver whose saves finish after a delay, logging what happened in which order. */
function slowSaver(log: string[], failAt = -1): Saver {
  return {
    async save(c) {
      const i = Number(c.start) / 10;
      log.push(`start ${i}`);
      await new Promise((r) => setTimeout(r, 5));
      if (i === failAt) throw new Error(`disk full at ${i}`);
      log.push(`saved ${i}`);
    },
    async close() {
      log.push('close');
    },
    async fail(e) {
      log.push(`fail: ${(e as Error).message}`);
    },
  };
}

describe('SaverSpy: saving overlaps processing', () => {
  it('returns before a save ends, keeps the order, and closes after the last save', async () => {
    const log: string[] = [];
    const spy = new SaverSpy('things', [slowSaver(log)], 2);
    await spy.receive(chunk(0));
    log.push('after receive 0');
    for (let i = 1; i < 5; i++) await spy.receive(chunk(i));
    await spy.close();
    expect(log.indexOf('after receive 0')).toBeLessThan(log.indexOf('saved 0'));
    expect(log.filter((l) => l.startsWith('saved'))).toEqual([
      'saved 0',
      'saved 1',
      'saved 2',
      'saved 3',
      'saved 4',
    ]);
    for (let i = 1; i < 5; i++)
      expect(log.indexOf(`start ${i}`)).toBeGreaterThan(log.indexOf(`saved ${i - 1}`));
    expect(log[log.length - 1]).toBe('close');
    expect(spy.state).toBe('closed');
  });

  it('a failed save surfaces at a later receive or at close, and nothing after it is saved', async () => {
    const log: string[] = [];
    const spy = new SaverSpy('things', [slowSaver(log, 1)], 2);
    let error: unknown = null;
    try {
      for (let i = 0; i < 6; i++) await spy.receive(chunk(i));
      await spy.close();
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe('disk full at 1');
    expect(log).not.toContain('close');
    expect(log.filter((l) => l.startsWith('start')).length).toBe(2);
    await spy.fail(error);
    expect(log[log.length - 1]).toBe('fail: disk full at 1');
    expect(spy.state).toBe('failed');
  });

  it('fail() waits for saves in flight before recording the failure', async () => {
    const log: string[] = [];
    const spy = new SaverSpy('things', [slowSaver(log)], 3);
    await spy.receive(chunk(0));
    await spy.receive(chunk(1));
    await spy.fail(new Error('upstream plugin crashed'));
    expect(log.slice(-1)).toEqual(['fail: upstream plugin crashed']);
    expect(log).toContain('saved 1');
  });
});
