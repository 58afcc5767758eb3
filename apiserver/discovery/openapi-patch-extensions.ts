import type { FieldStrategy } from '../patch/patch-strategy.js';
import { strategies } from '../patch/strategies.js';
import { REF_PREFIX, type SchemaObject } from './openapi-schemas.js';

/**
 * Marks the lists and maps that strategic merge patches merge, as upstream's OpenAPI does, from the
 * same table the server patches by. kubectl computes `apply`'s three-way patch from these marks:
 * without them a list is one value, and an unchanged manifest reads as "configured".
 *
 *   PodSpec.containers -> "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name",
 *                         "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"]
 */
export function annotatePatchStrategies(components: Record<string, SchemaObject>, kindComponent: (kind: string) => string | undefined): void {
  for (const [kind, table] of Object.entries(strategies)) {
    const root = kindComponent(kind);
    if (!root || !components[root]) continue;
    for (const [path, strategy] of Object.entries(table)) {
      const field = fieldAt(components, components[root]!, path.split('.'));
      if (field) Object.assign(field, extensions(strategy, field));
    }
  }
}

function extensions(s: FieldStrategy, field: SchemaObject): SchemaObject {
  // Upstream leaves replaced lists unmarked: replacing is what a list without marks does.
  if (s.kind === 'replace') return {};
  const isList = field.type === 'array';
  const out: SchemaObject = { 'x-kubernetes-patch-strategy': s.retainKeys ? (isList ? 'merge,retainKeys' : 'retainKeys') : 'merge' };
  if (s.mergeKey) {
    out['x-kubernetes-patch-merge-key'] = s.mergeKey;
    out['x-kubernetes-list-type'] = 'map';
    out['x-kubernetes-list-map-keys'] = [s.mergeKey];
  } else if (isList) {
    out['x-kubernetes-list-type'] = 'set';
  }
  return out;
}

/** The property schema at a dotted path (`a.b[].c`), following $refs; undefined if the path leaves the schemas. */
function fieldAt(components: Record<string, SchemaObject>, start: SchemaObject, segments: string[]): SchemaObject | undefined {
  let node: SchemaObject | undefined = start;
  for (let i = 0; i < segments.length && node; i++) {
    const seg = segments[i]!;
    const name = seg.endsWith('[]') ? seg.slice(0, -2) : seg;
    const props = resolve(components, node).properties as Record<string, SchemaObject> | undefined;
    const field: SchemaObject | undefined = props?.[name];
    if (!field) return undefined;
    if (i === segments.length - 1) return field;
    node = seg.endsWith('[]') ? (resolve(components, field).items as SchemaObject | undefined) : field;
  }
  return undefined;
}

/** A schema with its $ref (or `allOf: [{$ref}]`) followed to the component it names. */
function resolve(components: Record<string, SchemaObject>, node: SchemaObject): SchemaObject {
  for (let hops = 0; hops < 10; hops++) {
    const ref = (node.$ref ?? (node.allOf as SchemaObject[] | undefined)?.[0]?.$ref) as string | undefined;
    if (!ref || !ref.startsWith(REF_PREFIX)) return node;
    const target = components[ref.slice(REF_PREFIX.length)];
    if (!target) return node;
    node = target;
  }
  return node;
}
