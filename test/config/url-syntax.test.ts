import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../src/core/python/float.js';
import { parseUrlConfig } from '../../src/config/url-config.js';
import { parseQueryValue, pyStr } from '../../src/core/python/value.js';
import { PyTuple } from '../../src/core/python/literal.js';
import { normalizeOptionValue, splitUrlKwargs } from '../../src/config/url-syntax.js';
import { runConfig } from '../plugins/event-chain-fixtures.js';
import { REFERENCE_RUNS } from '../helpers/reference.js';

describe('query values as Python literals (straxen parse_val)', () => {
  it('parses ints, floats, bools, None, strings and containers like ast.literal_eval', () => {
    expect(parseQueryValue('1')).toBe(1);
    expect(parseQueryValue('-3')).toBe(-3);
    expect(parseQueryValue('1_000')).toBe(1000);
    expect(parseQueryValue('0x10')).toBe(16);
    expect(parseQueryValue('1.0')).toEqual(new PyFloat(1));
    expect(parseQueryValue('1e-3')).toEqual(new PyFloat(0.001));
    expect(parseQueryValue('True')).toBe(true);
    expect(parseQueryValue('None')).toBe(null);
    expect(parseQueryValue("'abc'")).toBe('abc');
    expect(parseQueryValue('[1, 2.5]')).toEqual([1, new PyFloat(2.5)]);
    expect(parseQueryValue('(1,)')).toEqual(new PyTuple([1]));
  });
  it('keeps text that is not a literal, such as run ids with leading zeros', () => {
    for (const s of [
      '012100',
      'ONLINE',
      'json',
      'plugin.run_id',
      'true',
      '1 + 2',
      'inf',
      '1j',
      'map_zero.json',
    ]) {
      expect(parseQueryValue(s)).toBe(s);
    }
  });
  it("prints values as Python's str()", () => {
    expect(pyStr(new PyFloat(1e-5))).toBe('1e-05');
    expect(pyStr(new PyFloat(28))).toBe('28.0');
    expect(pyStr(new PyFloat(0.0015))).toBe('0.0015');
    expect(pyStr([1, new PyFloat(2), 'a'])).toBe("[1, 2.0, 'a']");
    expect(pyStr(new PyTuple([1]))).toBe('(1,)');
  });
});

describe('URL normalisation (straxen sort_url_kwargs, what the lineage keeps)', () => {
  it('leaves the reference URLs as the metadata shows them', () => {
    for (const run of REFERENCE_RUNS) {
      for (const v of Object.values(runConfig(run)))
        if (typeof v === 'string') expect(normalizeOptionValue(v)).toBe(v);
    }
  });
  it('sorts keys and respells values', () => {
    expect(
      normalizeOptionValue(
        'xedocs://se_gains?partition=all_tpc&run_id=plugin.run_id&sort=partition&as_list=True&key_attr=partition&value_attr=value&take=all_tpc&version=ONLINE',
      ),
    ).toBe(
      'xedocs://se_gains?as_list=True&key_attr=partition&partition=all_tpc&run_id=plugin.run_id&sort=partition&take=all_tpc&value_attr=value&version=ONLINE',
    );
    expect(normalizeOptionValue('a://b?z=1e-5&y=1.0&x=012&w=[1,2]&v=&u')).toBe(
      'a://b?w=1&w=2&x=012&y=1.0&z=1e-05',
    );
    expect(normalizeOptionValue('a://b?k=x+y&k2=%41')).toBe('a://b?k=x y&k2=A');
    expect(normalizeOptionValue('a://b?k=1#frag&z=2')).toBe('a://b?k=1');
  });
  it('leaves non-URL values alone and rejects the removed cmt protocol', () => {
    expect(normalizeOptionValue('disabled')).toBe('disabled');
    expect(normalizeOptionValue(28)).toBe(28);
    expect(() => normalizeOptionValue('cmt://elife?version=ONLINE', 'elife')).toThrow(
      /cmt:\/\/ protocol was removed/,
    );
  });
  it('is idempotent', () => {
    const key = fc.stringMatching(/^[a-z_]{1,6}$/);
    const val = fc.oneof(
      fc.integer().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
      fc.stringMatching(/^[A-Za-z0-9_.]{1,8}$/),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, val), { maxLength: 6 }), (kv) => {
        const url = `proto://arg${kv.length ? '?' + kv.map(([k, v]) => `${k}=${v}`).join('&') : ''}`;
        const once = normalizeOptionValue(url) as string;
        expect(normalizeOptionValue(once)).toBe(once);
        expect(Object.keys(splitUrlKwargs(once).kwargs)).toEqual(
          Object.keys(splitUrlKwargs(once).kwargs).sort(),
        );
      }),
    );
  });
});

describe('URL parsing into a protocol chain', () => {
  it('offers every query parameter to every level; each keeps what it accepts', () => {
    const ast = parseUrlConfig('list-to-array://resource://x.json?fmt=json');
    expect(ast).toEqual({
      protocol: 'list-to-array',
      kwargs: {},
      arg: { protocol: 'resource', arg: 'x.json', kwargs: { fmt: 'json' } },
    });
    const m = parseUrlConfig('itp_map://resource://m.json?method=RegularGridInterpolator&fmt=json');
    expect(m).toMatchObject({
      protocol: 'itp_map',
      kwargs: { fmt: 'json', method: 'RegularGridInterpolator' },
    });
  });
  it('treats unknown protocols and plain strings as literals', () => {
    expect(parseUrlConfig('nosuch://thing?x=1')).toBe('nosuch://thing?x=1');
    expect(parseUrlConfig('cnf')).toBe('cnf');
  });
});
