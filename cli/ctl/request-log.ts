/**
 * What `-v` prints of each request, on stderr, in the klog line format kubectl's `-v=6` uses, so a
 * class sees that every command is REST calls to the API server:
 *
 *   I1122 07:43:29.871853   13321 rest.ts] GET http://127.0.0.1:6443/api/v1/namespaces/default/pods 200 OK in 1 milliseconds
 *
 * From level 6 each request's method, URL, status and time; from 8 also its headers and bodies,
 * a body cut at 1,024 characters as kubectl cuts it.
 */
export class RequestLog {
  constructor(
    readonly level: number,
    private readonly write: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A line of the level given, if the log is that verbose. */
  line(level: number, text: string): void {
    if (this.level >= level) this.write(`${this.prefix()}${text}\n`);
  }

  sent(method: string, url: string, headers: Readonly<Record<string, string>>, body: string | undefined): void {
    this.line(8, `"Request Body" body=${JSON.stringify(truncated(body ?? ''))}`);
    this.line(8, `${method} ${url}`);
    this.line(8, 'Request Headers:');
    for (const [k, v] of Object.entries(headers)) this.line(8, `    ${k}: ${v}`);
  }

  answered(method: string, url: string, status: number, statusText: string, ms: number, headers: Readonly<Record<string, string | string[] | undefined>>, body?: string): void {
    if (this.level >= 8) {
      this.line(8, `Response Status: ${status} ${statusText} in ${ms} milliseconds`);
      this.line(8, 'Response Headers:');
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) this.line(8, `    ${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
      if (body !== undefined) this.line(8, `"Response Body" body=${JSON.stringify(truncated(body))}`);
      return;
    }
    this.line(6, `${method} ${url} ${status} ${statusText} in ${ms} milliseconds`);
  }

  /** klog's `I1122 07:43:29.871853   13321 rest.ts] `. */
  private prefix(): string {
    const t = this.now();
    const two = (n: number) => String(n).padStart(2, '0');
    const micros = `${String(t.getMilliseconds()).padStart(3, '0')}000`;
    return `I${two(t.getMonth() + 1)}${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}.${micros} ${String(process.pid).padStart(7)} rest.ts] `;
  }
}

const MAX_BODY = 1024;

function truncated(body: string): string {
  return body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)} [truncated ${body.length - MAX_BODY} chars]` : body;
}
