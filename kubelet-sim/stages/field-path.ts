/**
 * A field path picks one value out of an object, the way a stage selector or placeholder names it:
 * `.name` steps into a key, `["minik.dev/x"]` into a key with dots or slashes, `[0]` into an array
 * index, and `[type=Ready]` into the first array element whose `type` is `Ready` (conditions are
 * lists keyed by type, and their order is not something a stage should depend on).
 *
 *   readField({ status: { conditions: [{ type: 'Ready', status: 'True' }] } },
 *             '.status.conditions[type=Ready].status')   // 'True'
 *   readField({ metadata: {} }, '.metadata.deletionTimestamp')   // undefined
 */
export type FieldStep =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'where'; key: string; value: string };

const STEP = /\.([A-Za-z0-9_-]+)|\["([^"\]]+)"\]|\[(\d+)\]|\[([A-Za-z0-9_-]+)=([^\]]*)\]/y;

/** Parses a field path; throws naming the offset where it stops making sense. */
export function parseFieldPath(path: string): FieldStep[] {
  if (!path.startsWith('.') && !path.startsWith('[')) throw new Error(`field path "${path}" must start with "." or "["`);
  const steps: FieldStep[] = [];
  STEP.lastIndex = 0;
  while (STEP.lastIndex < path.length) {
    const at = STEP.lastIndex;
    const m = STEP.exec(path);
    if (!m) throw new Error(`field path "${path}" is not understood at offset ${at}: "${path.slice(at)}"`);
    if (m[1] !== undefined) steps.push({ kind: 'key', key: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'key', key: m[2] });
    else if (m[3] !== undefined) steps.push({ kind: 'index', index: Number(m[3]) });
    else steps.push({ kind: 'where', key: m[4]!, value: m[5]! });
  }
  return steps;
}

// Stages name the same few dozen paths on every pod they look at: each is parsed once.
const parsed = new Map<string, readonly FieldStep[]>();

function stepsOf(path: string): readonly FieldStep[] {
  let steps = parsed.get(path);
  if (!steps) parsed.set(path, (steps = parseFieldPath(path)));
  return steps;
}

/** The value at `path`, or undefined when any step is missing (a missing field is not an error). */
export function readField(obj: unknown, path: string): unknown {
  return readSteps(obj, stepsOf(path));
}

/** `readField` of one path, parsed now: for a path read of many objects. */
export function fieldReader(path: string): (obj: unknown) => unknown {
  const steps = stepsOf(path);
  return (obj) => readSteps(obj, steps);
}

function readSteps(obj: unknown, steps: readonly FieldStep[]): unknown {
  let cur: unknown = obj;
  for (const step of steps) {
    if (step.kind === 'key') {
      cur = isRecord(cur) && Object.hasOwn(cur, step.key) ? cur[step.key] : undefined;
    } else if (step.kind === 'index') {
      cur = Array.isArray(cur) ? cur[step.index] : undefined;
    } else {
      cur = Array.isArray(cur) ? cur.find((e) => isRecord(e) && String(e[step.key]) === step.value) : undefined;
    }
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
