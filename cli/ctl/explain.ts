import { CtlError } from './errors.js';
import { lookupResource } from './resource-args.js';
import type { Session } from './session.js';

type Schema = {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  required?: string[];
  enum?: unknown[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
};

interface Document {
  components?: { schemas?: Record<string, Schema> };
}

/**
 * `minikctl explain RESOURCE[.field...]` from the OpenAPI v3 document the server publishes for
 * the resource's group-version, in kubectl's layout: kind, version, the field's type and
 * description, then its own fields (with `--recursive`, every level of them).
 *
 *   minikctl explain deploy.spec.replicas
 *     KIND:       Deployment
 *     GROUP:      apps
 *     VERSION:    v1
 *
 *     FIELD: replicas <integer>
 *
 *     DESCRIPTION:
 *         Number of desired pods. Defaults to 1.
 */
export async function runExplain(s: Session, arg: string, o: { recursive?: boolean }): Promise<number> {
  const [word, ...fields] = arg.split('.');
  let resource: ReturnType<typeof lookupResource>;
  try {
    resource = lookupResource(await s.resources(), word!);
  } catch (err) {
    // kubectl explain says this one without its "error: ".
    if (err instanceof CtlError) throw new CtlError(err.message, true);
    throw err;
  }
  const gvPath = resource.group ? `apis/${resource.group}/${resource.version}` : `api/${resource.version}`;
  const index = await s.rest.request<{ paths: Record<string, { serverRelativeURL: string }> }>('GET', '/openapi/v3');
  const url = index.paths[gvPath]?.serverRelativeURL;
  if (!url) throw new CtlError(`couldn't find resource for "${arg}"`);
  const [path, query] = url.split('?') as [string, string | undefined];
  const doc = await s.rest.request<Document>('GET', path, { query: Object.fromEntries(new URLSearchParams(query ?? '')) });
  const schemas = doc.components?.schemas ?? {};
  const root = Object.values(schemas).find((sc) =>
    sc['x-kubernetes-group-version-kind']?.some((g) => g.group === resource.group && g.version === resource.version && g.kind === resource.kind),
  );
  if (!root) throw new CtlError(`couldn't find resource for "${arg}"`);
  try {
    s.out(explainText(schemas, root, resource, fields, Boolean(o.recursive)));
  } catch (err) {
    // kubectl has printed the kind's heading before it finds the field missing.
    if (err instanceof CtlError) s.out(heading(resource).join('\n') + '\n');
    throw err;
  }
  return 0;
}

/** The text for a schema and a field path in it; pure, so it is tested without a server. */
export function explainText(
  schemas: Record<string, Schema>,
  root: Schema,
  resource: { group: string; version: string; kind: string },
  fields: readonly string[],
  recursive: boolean,
): string {
  const resolve = (sc: Schema): Schema => {
    let cur = sc;
    for (let i = 0; i < 20; i++) {
      const ref = cur.$ref ?? (cur.allOf?.length === 1 ? cur.allOf[0]!.$ref : undefined);
      if (!ref) break;
      const target = schemas[ref.replace('#/components/schemas/', '')];
      if (!target) break;
      cur = target;
    }
    return cur;
  };
  let current: Schema = root;
  let fieldSchema: Schema | undefined;
  for (const f of fields) {
    let r = resolve(current);
    while (r.type === 'array' && r.items) r = resolve(r.items);
    // Own properties only: `constructor` is no field of any kind.
    const next = r.properties && Object.hasOwn(r.properties, f) ? r.properties[f] : undefined;
    if (!next) throw new CtlError(`field "${f}" does not exist`);
    fieldSchema = next;
    current = next;
  }
  const out: string[] = heading(resource);
  if (fieldSchema) out.push(`FIELD: ${fields[fields.length - 1]} <${typeName(fieldSchema, schemas)}>`, '', '');
  const shown = resolve(current);
  let body = shown;
  while (body.type === 'array' && body.items) body = resolve(body.items);
  // A field that names a type: the field's own description, then the type's, as kubectl prints them.
  const typeDescription = fieldSchema && body !== fieldSchema ? body.description : undefined;
  const description = fieldSchema ? [fieldSchema.description, typeDescription].filter(Boolean).join('\n') : shown.description;
  out.push('DESCRIPTION:');
  if (description) out.push(...indent(description, 4), '    ');
  else out.push('    <empty>');
  if (body.properties && Object.keys(body.properties).length > 0) {
    out.push('FIELDS:');
    const seen = new Set<Schema>();
    const list = (sc: Schema, depth: number) => {
      if (seen.has(sc)) return;
      seen.add(sc);
      const required = new Set(sc.required ?? []);
      for (const name of Object.keys(sc.properties ?? {}).sort()) {
        const p = sc.properties![name]!;
        const pad = '  '.repeat(depth + 1);
        out.push(`${pad}${name}\t<${typeName(p, schemas)}>${required.has(name) ? ' -required-' : ''}`);
        const values = resolve(p).enum;
        // kubectl shows four values at most.
        if (values) out.push(`${pad}enum: ${values.slice(0, 4).map(String).join(', ')}${values.length > 4 ? ', ....' : ''}`);
        if (recursive) {
          let child = resolve(p);
          while (child.type === 'array' && child.items) child = resolve(child.items);
          if (child.properties) list(child, depth + 1);
        } else {
          out.push(...indent(p.description ?? '<no description>', 2 * depth + 4), '');
        }
      }
      seen.delete(sc);
    };
    list(body, 0);
  }
  return `${out.join('\n')}\n\n`;
}

/** How kubectl names a field's type: `string`, `[]Container`, `map[string]string`, `ObjectMeta`. */
function typeName(sc: Schema, schemas: Record<string, Schema>): string {
  const ref = sc.$ref ?? (sc.allOf?.length === 1 ? sc.allOf[0]!.$ref : undefined);
  if (ref) {
    const name = ref.split('.').pop()!;
    const target = schemas[ref.replace('#/components/schemas/', '')];
    return target && target.type && target.type !== 'object' && !target.properties ? target.type : name;
  }
  if (sc.type === 'array') return `[]${sc.items ? typeName(sc.items, schemas) : 'Object'}`;
  const values = sc.additionalProperties;
  if (sc.type === 'object' && values && typeof values === 'object' && Object.keys(values).length > 0) return `map[string]${typeName(values, schemas)}`;
  if (sc.type === 'object') return 'Object';
  return sc.type ?? 'Object';
}

/** Indented by `n` and wrapped at word boundaries to 80 columns, as kubectl's template wraps. */
function indent(text: string, n: number): string[] {
  const width = Math.max(20, 80 - n);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out.map((l) => ' '.repeat(n) + l);
}

/** The lines explain's text opens with: the group if any, the kind and version, a blank line. */
function heading(resource: { group: string; version: string; kind: string }): string[] {
  return [...(resource.group ? [`GROUP:      ${resource.group}`] : []), `KIND:       ${resource.kind}`, `VERSION:    ${resource.version}`, ''];
}
