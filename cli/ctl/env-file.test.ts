import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envFilePairs } from './env-file.js';

const pairs = (text: string | Buffer, env: Record<string, string> = {}) =>
  envFilePairs('app.env', typeof text === 'string' ? Buffer.from(text) : text, (k) => env[k]);

describe('env files as kubectl reads them', () => {
  it('reads the pairs of its doc comment', () => {
    expect(pairs('# the database\nHOST=db.local\nURL="a=b" \nHOME\n', { HOME: '/root' })).toEqual([
      ['HOST', 'db.local'],
      ['URL', '"a=b" '],
      ['HOME', '/root'],
    ]);
    expect(() => pairs('PORT = 5432\n')).toThrow(/^"PORT " is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '\.'/);
  });

  it('drops what kubectl drops: leading space, a closing \\r, the first line\'s byte order mark; a bare key unset is empty', () => {
    expect(pairs('\ufeffA=1\r\n \t B=2\r\n\r\n\n   \n  # note\nC\nD=\nE=x\r')).toEqual([
      ['A', '1'],
      ['B', '2'],
      ['C', ''],
      ['D', ''],
      ['E', 'x'],
    ]);
    // Only the first line's mark is one; any later is part of a key, which it spoils.
    expect(() => pairs('A=1\n\ufeffB=2\n')).toThrow(/^"\\ufeffB" is not a valid key name/);
    // Unicode spaces lead a line as well as ASCII ones do.
    expect(pairs('\u00a0\u3000K=v')).toEqual([['K', 'v']]);
  });

  it('names the line and its bytes when a line is not UTF-8, counting from 1', () => {
    const bytes = Buffer.concat([Buffer.from('A=1\n#c\n'), Buffer.from([0x42, 0x3d, 0xfe]), Buffer.from('\n')]);
    expect(() => pairs(bytes)).toThrow('env file app.env contains invalid utf8 bytes at line 3: [66 61 254]');
  });

  it("refuses keys that are not environment variable names, in kubectl's words", () => {
    expect(() => pairs('1A=x')).toThrow(/^"1A" is not a valid key name: a valid environment variable name/);
    expect(() => pairs('=x')).toThrow(/^"" is not a valid key name/);
    expect(() => pairs('export A=1')).toThrow(/^"export A" is not a valid key name/);
    expect(() => pairs('..=1')).toThrow(`".." is not a valid key name: must not be '..'`);
    expect(() => pairs('..a=1')).toThrow(`"..a" is not a valid key name: must not start with '..'`);
    expect(() => pairs('.=1')).toThrow(`"." is not a valid key name: must not be '.'`);
    expect(pairs('a..b=1\n.x=2')).toEqual([
      ['a..b', '1'],
      ['.x', '2'],
    ]);
  });

  it('gives back every line written as KEY=VALUE, in order, whatever the values and line endings', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/).filter((k) => !k.startsWith('..'));
    // A value: anything but a line break; a leading space of a value stays, as does a closing one.
    const value = fc.string({ unit: 'grapheme' }).map((v) => v.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value)), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, closed) => {
        const text = lines.map(([k, v]) => `${k}=${v}`).join(eol) + (closed ? eol : '');
        expect(pairs(text)).toEqual(lines);
      }),
    );
  });
});
