// Everything the page has listed and watched, keyed as the API keys it, with what changed since
// the last frame. No DOM here: the view reads the model and the dirty sets once a frame.

/**
 * `namespace/name` for namespaced objects, `name` for cluster-scoped ones.
 * @param {any} obj
 */
export function keyOf(obj) {
  const m = obj?.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : String(m.name);
}

/**
 * The page's copy of the cluster: one Map per resource, fed by `reset` (a fresh list) and `apply`
 * (a watch event). Pods are also indexed by node (`''` for unscheduled) so a node box can be
 * refilled without scanning every pod. What changed is collected until `takeDirty`:
 *
 *   model.apply('pods', 'ADDED', web1)          // web1 bound to node-1
 *   model.takeDirty() -> { pods: {'default/web-1'}, nodes: {'node-1'}, kinds: {'pods'} }
 *   model.takeDirty() -> { pods: {}, nodes: {}, kinds: {} }
 */
export class Model {
  constructor() {
    /** @type {Map<string, Map<string, any>>} */
    this.objects = new Map();
    /** @type {Map<string, Set<string>>} node name ('' for none) -> pod keys */
    this.podsByNode = new Map();
    this.dirty = { pods: new Set(), nodes: new Set(), kinds: new Set() };
    /** Watch events applied since the page loaded: the benchmark reads it. */
    this.applied = 0;
  }

  /** @param {string} kind */
  all(kind) {
    let m = this.objects.get(kind);
    if (!m) this.objects.set(kind, (m = new Map()));
    return m;
  }

  /**
   * The pods bound to a node (`''`: not bound yet).
   * @param {string} node
   * @returns {any[]}
   */
  podsOn(node) {
    const pods = this.all('pods');
    return [...(this.podsByNode.get(node) ?? [])].map((k) => pods.get(k));
  }

  /**
   * Replaces what is known of a resource with a fresh list; what vanished meanwhile is deleted.
   * @param {string} kind
   * @param {any[]} items
   */
  reset(kind, items) {
    const known = this.all(kind);
    const fresh = new Set();
    for (const obj of items) {
      const key = keyOf(obj);
      fresh.add(key);
      const old = known.get(key);
      if (old?.metadata?.resourceVersion !== obj?.metadata?.resourceVersion) this.apply(kind, old ? 'MODIFIED' : 'ADDED', obj);
    }
    for (const [key, obj] of [...known]) if (!fresh.has(key)) this.apply(kind, 'DELETED', obj);
    this.dirty.kinds.add(kind);
  }

  /**
   * One watch event.
   * @param {string} kind
   * @param {'ADDED' | 'MODIFIED' | 'DELETED'} type
   * @param {any} obj
   */
  apply(kind, type, obj) {
    const known = this.all(kind);
    const key = keyOf(obj);
    const old = known.get(key);
    if (type === 'DELETED') known.delete(key);
    else known.set(key, obj);
    this.applied++;
    this.dirty.kinds.add(kind);
    if (kind === 'pods') {
      this.dirty.pods.add(key);
      const before = old?.spec?.nodeName ?? '';
      const after = type === 'DELETED' ? undefined : obj?.spec?.nodeName ?? '';
      if (old && before !== after) this.podsByNode.get(before)?.delete(key);
      if (after !== undefined) {
        let set = this.podsByNode.get(after);
        if (!set) this.podsByNode.set(after, (set = new Set()));
        set.add(key);
      }
      if (old) this.dirty.nodes.add(before);
      if (after !== undefined) this.dirty.nodes.add(after);
    } else if (kind === 'nodes') {
      this.dirty.nodes.add(key);
    }
  }

  /** Marks everything as changed: after the namespace picker changes what is shown. */
  touchAll() {
    for (const key of this.all('pods').keys()) this.dirty.pods.add(key);
    for (const node of this.podsByNode.keys()) this.dirty.nodes.add(node);
    for (const node of this.all('nodes').keys()) this.dirty.nodes.add(node);
    for (const kind of this.objects.keys()) this.dirty.kinds.add(kind);
  }

  /** What changed since the last call, and a clean slate. */
  takeDirty() {
    const d = this.dirty;
    this.dirty = { pods: new Set(), nodes: new Set(), kinds: new Set() };
    return d;
  }
}
