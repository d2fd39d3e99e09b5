// Yes/no questions on the terminal (--ask_confirm): anything but y or n asks again.

import { createInterface, type Interface } from 'node:readline';

let rl: Interface | null = null;
const lines: string[] = [];
const waiting: ((line: string | null) => void)[] = [];
let ended = false;

function nextLine(): Promise<string | null> {
  if (!rl) {
    rl = createInterface({ input: process.stdin });
    rl.on('line', (l) => {
      const w = waiting.shift();
      if (w) w(l);
      else lines.push(l);
    });
    rl.on('close', () => {
      ended = true;
      for (const w of waiting.splice(0)) w(null);
    });
  }
  if (lines.length) return Promise.resolve(lines.shift()!);
  if (ended) return Promise.resolve(null);
  return new Promise((r) => waiting.push(r));
}

/** Ask until the answer is y or n; no more input counts as no. */
export async function askYesNo(question: string): Promise<boolean> {
  for (;;) {
    process.stderr.write(`${question} (y/n) `);
    const a = await nextLine();
    if (a === null) return false;
    const t = a.trim().toLowerCase();
    if (t === 'y' || t === 'yes') return true;
    if (t === 'n' || t === 'no') return false;
  }
}

export function closePrompt(): void {
  rl?.close();
  rl = null;
}
