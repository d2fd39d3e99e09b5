// Value parsers for command-line options: a bad value becomes commander's one-line usage error.

import { InvalidArgumentError } from 'commander';

/** An integer of at least `min`. */
export const int =
  (min: number) =>
  (v: string): number => {
    if (!/^-?\d+$/.test(v.trim()) || Number(v) < min)
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${v}'.`);
    return Number(v);
  };

/** A finite number ≥ 0; `expected` names it in the error (e.g. 'a number of seconds'). */
export const nonNegative =
  (expected = 'a non-negative number') =>
  (v: string): number => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x) || x < 0)
      throw new InvalidArgumentError(`expected ${expected}, got '${v}'.`);
    return x;
  };
