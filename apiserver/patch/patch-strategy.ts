/**
 * How a strategic merge patch treats one field: upstream's `patchStrategy` and `patchMergeKey`
 * struct tags (published in OpenAPI as `x-kubernetes-patch-strategy` / `-merge-key`).
 *
 *   { kind: 'merge', mergeKey: 'name' }  a list of objects, merged element by element, matched by `name`
 *   { kind: 'merge' }                    a list of primitives merged as a set (finalizers); on a map, the default
 *   { kind: 'replace' }                  the patch's value replaces the field; the default for lists
 *
 * `retainKeys: true` marks a field whose patches carry `$retainKeys` (on a list, its elements):
 * a one-of such as a Deployment's `spec.strategy` or a volume's source. The patcher obeys
 * `$retainKeys` wherever it is sent, as upstream does; the flag is for whoever publishes the
 * schema (`"merge,retainKeys"`), because kubectl computes its patches from the schema.
 */
export type FieldStrategy =
  | { readonly kind: 'merge'; readonly mergeKey?: string; readonly retainKeys?: boolean }
  | { readonly kind: 'replace' };

/**
 * The strategies of one kind, by field path: field names joined by `.`, with `[]` stepping into a
 * list's elements. Fields not listed take the defaults: maps merge, lists are replaced.
 *
 *   const deployment: PatchStrategy = {
 *     'spec.strategy': { kind: 'merge', retainKeys: true },
 *     'spec.template.spec.containers': { kind: 'merge', mergeKey: 'name' },
 *     'spec.template.spec.containers[].env': { kind: 'merge', mergeKey: 'name' },
 *   };
 */
export type PatchStrategy = Readonly<Record<string, FieldStrategy>>;

/**
 * Moves a table under a prefix, so that one table (a PodSpec) serves every place it appears.
 *
 *   nestStrategy('spec.template.spec', { 'containers[].env': byName })
 *     // { 'spec.template.spec.containers[].env': byName }
 */
export function nestStrategy(prefix: string, strategy: PatchStrategy): PatchStrategy {
  return Object.fromEntries(Object.entries(strategy).map(([path, s]) => [`${prefix}.${path}`, s]));
}

/**
 * A table compiled into a tree, walked field by field alongside the document. Walking by field
 * name, rather than matching dotted strings, keeps a label key such as `app.kubernetes.io/name`
 * from ever reading as a path.
 */
export interface StrategyNode {
  readonly strategy?: FieldStrategy;
  readonly fields: ReadonlyMap<string, StrategyNode>;
  /** The elements of this list. */
  readonly items?: StrategyNode;
}

interface MutableNode {
  strategy?: FieldStrategy;
  fields: Map<string, MutableNode>;
  items?: MutableNode;
}

const compiled = new WeakMap<PatchStrategy, StrategyNode>();

/**
 * Compiles (once per table) the tree for `strategy`; a malformed path is a programming error.
 *
 *   compileStrategy({ 'spec.ports': byPort }).fields.get('spec')?.fields.get('ports')?.strategy  // byPort
 */
export function compileStrategy(strategy: PatchStrategy): StrategyNode {
  let root = compiled.get(strategy);
  if (root === undefined) {
    root = build(strategy);
    compiled.set(strategy, root);
  }
  return root;
}

function build(strategy: PatchStrategy): StrategyNode {
  const root: MutableNode = { fields: new Map() };
  for (const [path, fieldStrategy] of Object.entries(strategy)) {
    let node = root;
    for (const segment of path.split('.')) {
      const m = /^([^.[\]]+)((?:\[\])*)$/.exec(segment);
      if (m === null) throw new Error(`invalid strategy path "${path}"`);
      const name = m[1]!;
      let next = node.fields.get(name);
      if (next === undefined) node.fields.set(name, (next = { fields: new Map() }));
      node = next;
      for (let depth = m[2]!.length / 2; depth > 0; depth--) node = node.items ??= { fields: new Map() };
    }
    node.strategy = fieldStrategy;
  }
  return root;
}
