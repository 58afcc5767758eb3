/**
 * Paths present in what was sent but not in what the schema kept: the unknown fields of a body.
 *
 *   unknownFields({ spec: { replcas: 2, replicas: 1 } }, { spec: { replicas: 1 } })   // ['spec.replcas']
 */
export function unknownFields(sent: unknown, kept: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(kept)) {
    return sent.flatMap((s, i) => unknownFields(s, kept[i], `${path}[${i}]`));
  }
  if (!isObject(sent) || !isObject(kept)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(sent)) {
    const p = path ? `${path}.${k}` : k;
    // Own members only: `constructor` or `__proto__` sent is as unknown as any other name.
    if (!Object.hasOwn(kept, k)) out.push(p);
    else out.push(...unknownFields(v, kept[k], p));
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
