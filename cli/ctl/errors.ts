/**
 * How minikctl fails: one line on stderr, worded as kubectl words it, and exit code 1. Nothing
 * below the command layer prints; everything throws one of these, or an ApiError with the
 * server's Status, and `describeError` turns it into the line.
 *
 *   describeError(new ApiError({ kind: 'Status', code: 404, reason: 'NotFound', message: 'pods "x" not found' }))
 *     // 'Error from server (NotFound): pods "x" not found'
 *   describeError(new CtlError('the server doesn\'t have a resource type "foo"'))
 *     // 'error: the server doesn\'t have a resource type "foo"'
 */
export class CtlError extends Error {
  override readonly name = 'CtlError';
  /** `raw` lines are printed as they are, without kubectl's "error: " prefix. */
  constructor(
    message: string,
    readonly raw = false,
  ) {
    super(message);
  }
}

export interface StatusLike {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ field?: string; message?: string; reason?: string }> };
}

/** A non-2xx answer from the API server, with its Status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  readonly reason: string;

  constructor(readonly status: StatusLike) {
    super(status.message ?? `the server answered ${status.code ?? '?'}`);
    this.code = status.code ?? 0;
    this.reason = status.reason ?? '';
  }

  static fromAnswer(code: number, body: string): ApiError {
    try {
      const s = JSON.parse(body) as StatusLike;
      if (s && s.kind === 'Status') return new ApiError({ ...s, code: s.code ?? code });
    } catch {
      // Not a Status: a proxy or something else answered; its text is all there is to show.
    }
    return new ApiError({ code, reason: reasonForCode(code), message: body.trim().slice(0, 300) || `the server answered ${code}` });
  }
}

export const isNotFound = (err: unknown): err is ApiError => err instanceof ApiError && (err.reason === 'NotFound' || err.code === 404);

/** Upstream's reasons for codes that arrive without a Status body. */
function reasonForCode(code: number): string {
  return ({ 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 422: 'Invalid', 500: 'InternalError', 503: 'ServiceUnavailable' } as Record<number, string>)[code] ?? '';
}

/**
 * The one line kubectl prints for an error (k8s.io/kubectl/pkg/cmd/util `StandardErrorMessage`):
 * the server's Status with its reason, a validation failure as the server words it.
 */
export function describeError(err: unknown): string {
  if (err instanceof CtlError) return err.raw ? err.message : `error: ${err.message}`;
  if (err instanceof ApiError) {
    if (err.reason === 'Invalid') return invalid(err);
    return err.reason && err.reason !== 'Unknown'
      ? `Error from server (${err.reason}): ${oneLine(err.message)}`
      : `Error from server: ${oneLine(err.message)}`;
  }
  return `error: ${oneLine(err instanceof Error ? err.message : String(err))}`;
}

/**
 * A list's 400 or 404 as kubectl rewords it (cli-runtime's Selector.Visit): naming the resource,
 * and the selectors when there are some. Any other error is left as it is.
 *
 *   listFailure(badRequest('found ...'), { group: 'apps', version: 'v1', name: 'deployments' }, '===', undefined)
 *     // message: 'Unable to find "apps/v1, Resource=deployments" that match label selector "===", field selector "": found ...'
 */
export function listFailure(err: unknown, r: { group: string; version: string; name: string }, labelSelector: string | undefined, fieldSelector: string | undefined): unknown {
  if (!(err instanceof ApiError) || (err.code !== 400 && err.code !== 404)) return err;
  const gvr = `"${r.group}/${r.version}, Resource=${r.name}"`;
  const message =
    labelSelector || fieldSelector
      ? `Unable to find ${gvr} that match label selector "${labelSelector ?? ''}", field selector "${fieldSelector ?? ''}": ${err.message}`
      : `Unable to list ${gvr}: ${err.message}`;
  return new ApiError({ ...err.status, message });
}

/**
 * kubectl's words for an Invalid Status (cmdutil's checkErr): built from its details, the kind and
 * name, then each cause as `field: message`. kubectl lists several causes on lines of their own;
 * minikctl keeps to one line, in brackets as the server's message has them.
 *
 *   // details { kind: 'ConfigMap', name: 'web', causes: [{ field: 'metadata.labels', message: 'Invalid value: ...' }] }
 *   //   -> 'The ConfigMap "web" is invalid: metadata.labels: Invalid value: ...'
 */
function invalid(err: ApiError): string {
  const d = err.status.details;
  const message = err.status.message ?? '';
  if (!d) return oneLine(`The request is invalid${message ? `: ${message}` : ''}`);
  const causes = [...new Set((d.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))];
  let head = 'The request is invalid';
  if (d.kind || d.name) head = `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid`;
  // Without a kind or a name the message is all there is, unless the causes say it again.
  else if (message && causes.length === 0) head += `: ${message}`;
  if (causes.length === 0) return oneLine(head);
  return oneLine(`${head}: ${causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`}`);
}

/**
 * The line kubectl prints when the server cannot be reached, for a fetch failure's cause:
 *
 *   connectionError('http://127.0.0.1:6443', { code: 'ECONNREFUSED' })
 *     // 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?'
 */
export function connectionError(server: string, cause: { code?: string; message?: string } | undefined): CtlError {
  let host = server;
  try {
    const u = new URL(server);
    host = u.port ? u.host : `${u.hostname}:${u.protocol === 'https:' ? 443 : 80}`;
  } catch {
    // A server that is no URL at all is shown as given.
  }
  if (cause?.code === 'ECONNREFUSED') return new CtlError(`The connection to the server ${host} was refused - did you specify the right host or port?`, true);
  const why = cause?.code === 'ENOTFOUND' ? `dial tcp: lookup ${host.split(':')[0]}: no such host` : (cause?.message ?? cause?.code ?? 'no answer');
  return new CtlError(`Unable to connect to the server: ${why}`, true);
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
