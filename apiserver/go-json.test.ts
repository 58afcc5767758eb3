import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goObjectError, goSyntaxError } from './go-json.js';

const err = (text: string) => goObjectError(Buffer.from(text, 'latin1'));

describe("Go's json.Unmarshal into a map", () => {
  it('says what its doc comment says', () => {
    expect(err('{"auths":{}}')).toBeUndefined();
    expect(err('{"auths":}')).toBe("invalid character '}' looking for beginning of value");
    expect(err('nope')).toBe("invalid character 'o' in literal null (expecting 'u')");
    expect(err('[]')).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  it("names the character and where it was, in Go's words", () => {
    expect(err('')).toBe('unexpected end of JSON input');
    expect(err('  {"a":1')).toBe('unexpected end of JSON input');
    expect(err('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(err('{"a":1 "b":2}')).toBe(`invalid character '"' after object key:value pair`);
    expect(err('{a:1}')).toBe("invalid character 'a' looking for beginning of object key string");
    expect(err('{"a":[1 2]}')).toBe("invalid character '2' after array element");
    expect(err('{} {}')).toBe("invalid character '{' after top-level value");
    expect(err('{"a":"\x01"}')).toBe("invalid character '\\x01' in string literal");
    expect(err('{"a":"\\q"}')).toBe("invalid character 'q' in string escape code");
    expect(err('{"a":"\\u12g4"}')).toBe("invalid character 'g' in \\u hexadecimal character escape");
    expect(err('{"a":-x}')).toBe("invalid character 'x' in numeric literal");
    expect(err('{"a":1.}')).toBe("invalid character '}' after decimal point in numeric literal");
    expect(err('{"a":1e+}')).toBe("invalid character '}' in exponent of numeric literal");
    expect(err('{"a":01}')).toBe("invalid character '1' after object key:value pair");
    expect(err('{"a":tru}')).toBe("invalid character '}' in literal true (expecting 'e')");
    expect(err('{"a":fals3}')).toBe("invalid character '3' in literal false (expecting 'e')");
    expect(err("{'a':1}")).toBe("invalid character '\\'' looking for beginning of object key string");
    // A byte past ASCII is named as the Latin-1 character Go makes of it.
    expect(err('{"a":\xe9}')).toBe("invalid character 'é' looking for beginning of value");
    expect(err('\xa0{}')).toBe("invalid character '\\u00a0' looking for beginning of value");
    expect(err('null')).toBeUndefined();
    expect(err(' "s" ')).toBe('json: cannot unmarshal string into Go value of type map[string]interface {}');
    expect(err('-0.5e3')).toBe('json: cannot unmarshal number into Go value of type map[string]interface {}');
    expect(err('false')).toBe('json: cannot unmarshal bool into Go value of type map[string]interface {}');
    expect(goSyntaxError(Buffer.from('['.repeat(10_001)))).toBe('exceeded max depth');
  });

  it('takes exactly what JSON.parse takes, for any text of JSON characters', () => {
    const text = fc.oneof(
      fc.json(),
      fc.json().map((j) => j.slice(0, Math.floor(j.length / 2))),
      fc.array(fc.constantFrom(...'{}[]:,"\\ \t\r\n01-.eE+tfnulrsa9x'.split(''))).map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        let parses = true;
        try {
          JSON.parse(t);
        } catch {
          parses = false;
        }
        expect(goSyntaxError(Buffer.from(t)) === undefined, t).toBe(parses);
      }),
      { numRuns: 2000 },
    );
  });
});
