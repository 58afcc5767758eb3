/**
 * Splits a stream of concatenated JSON values (`{...}{...}` or one per line) into whole values, as
 * they arrive: a watch request body may carry several requests, and may stay open.
 *
 *   const split = new JsonSplitter();
 *   split.push('{"a":1}{"b"');   // ['{"a":1}']
 *   split.push(':"}"}');          // ['{"b":"}"}']
 */
export class JsonSplitter {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  push(chunk: string): string[] {
    this.buf += chunk;
    const out: string[] = [];
    for (let i = this.scanned; i < this.buf.length; i++) {
      const c = this.buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') {
        this.inString = true;
        if (this.depth === 0) throw new SyntaxError('expected a JSON object');
      } else if (c === '{' || c === '[') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth < 0) throw new SyntaxError(`unexpected '${c}'`);
        if (this.depth === 0) out.push(this.buf.slice(this.start, i + 1));
      } else if (this.depth === 0 && !/\s/.test(c!)) {
        throw new SyntaxError(`unexpected '${c}' outside a JSON object`);
      }
    }
    if (this.depth === 0) {
      this.buf = '';
      this.scanned = 0;
    } else {
      this.buf = this.buf.slice(this.start);
      this.start = 0;
      this.scanned = this.buf.length;
    }
    return out;
  }

  /** Whether an unfinished value is waiting for more input. */
  get pending(): boolean {
    return this.depth > 0;
  }
}
