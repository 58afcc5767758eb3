// The board: the DOM, kept in step with the model once a frame. Elements are keyed and reused,
// never redrawn wholesale, so CSS transitions show each change: a chip appears, changes colour,
// moves from the waiting lane to a node, fades out.
import { feed, eventLine } from './event-feed.js';
import { compareNames, nodeFill, nodeMarks } from './node-view.js';
import { chipName, podLook } from './pod-state.js';
import { formatBytes, formatCpu } from './quantity.js';
import { deploymentRow, replicaSetRow, serviceRow, visibleReplicaSets } from './workload-view.js';

const LEAVE_MS = 450;
const PANEL_MS = 250;
const FRESH_MS = 600;
const FEED_LENGTH = 40;

/**
 * @param {string} tag
 * @param {string} [cls]
 * @param {string} [text]
 */
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Sets a text and, when it really changed, flashes it so the eye finds it. The flash restarts by
 * swapping between two classes with the same animation under two names: restarting one by reading
 * layout would force the browser to lay out the whole board once per changed text.
 * @param {Element} e
 * @param {string} text
 * @param {boolean} [flash]
 */
function setText(e, text, flash = true) {
  if (e.textContent === text) return;
  const had = e.textContent !== '';
  e.textContent = text;
  if (had && flash) {
    const again = e.classList.contains('changed');
    e.classList.toggle('changed', !again);
    e.classList.toggle('changed-again', again);
  }
}

/** @param {Element} e */
function leave(e) {
  if (e.classList.contains('leaving')) return;
  e.classList.add('leaving');
  setTimeout(() => e.remove(), LEAVE_MS);
}

/**
 * Makes `container`'s children the rows, in order, reusing elements by key; new ones enter,
 * gone ones leave (animated).
 * @template T
 * @param {Element} container
 * @param {T[]} rows
 * @param {(row: T) => string} key
 * @param {(row: T) => HTMLElement} create
 * @param {(e: HTMLElement, row: T) => void} update
 * @param {{ animateUpTo?: number }} [opts] more new rows than this come and go at once, unanimated
 */
export function syncList(container, rows, key, create, update, opts = {}) {
  /** @type {Map<string, HTMLElement>} */
  const existing = new Map();
  for (const child of /** @type {HTMLCollectionOf<HTMLElement>} */ (container.children)) {
    if (!child.classList.contains('leaving') && child.dataset.key !== undefined) existing.set(child.dataset.key, child);
  }
  const arriving = rows.filter((row) => !existing.has(key(row))).length;
  const animate = arriving <= (opts.animateUpTo ?? Infinity);
  let ref = /** @type {Element | null} */ (container.firstElementChild);
  for (const row of rows) {
    const k = key(row);
    let e = existing.get(k);
    if (e) existing.delete(k);
    else {
      e = create(row);
      e.dataset.key = k;
      if (animate) e.classList.add('enter');
    }
    update(e, row);
    while (ref && ref.classList.contains('leaving')) ref = ref.nextElementSibling;
    if (e === ref) ref = ref.nextElementSibling;
    else container.insertBefore(e, ref);
  }
  for (const e of existing.values()) {
    if (animate) leave(e);
    else e.remove();
  }
}

/**
 * @typedef {{
 *   onScale: (ns: string, name: string, replicas: number) => void,
 *   onDeletePod: (ns: string, name: string) => void,
 *   onHeartbeats: (node: string, stopped: boolean) => void,
 *   onCordon: (node: string, cordoned: boolean) => void,
 * }} Handlers
 */

export class Board {
  /**
   * @param {Document} doc
   * @param {import('./model.js').Model} model
   * @param {Handlers} handlers
   */
  constructor(doc, model, handlers) {
    this.model = model;
    this.handlers = handlers;
    this.namespace = '';
    this.nodesEl = /** @type {HTMLElement} */ (doc.getElementById('nodes'));
    this.laneEl = /** @type {HTMLElement} */ (doc.querySelector('#unscheduled .chips'));
    this.laneCount = /** @type {HTMLElement} */ (doc.querySelector('#unscheduled .count'));
    this.deploysEl = /** @type {HTMLElement} */ (doc.querySelector('#workloads .rows'));
    this.servicesEl = /** @type {HTMLElement} */ (doc.querySelector('#services .rows'));
    this.eventsEl = /** @type {HTMLElement} */ (doc.querySelector('#events .rows'));
    this.inspector = /** @type {HTMLElement} */ (doc.getElementById('inspector'));
    /** @type {Map<string, { box: HTMLElement, chips: HTMLElement, cpu: HTMLElement, cpuText: HTMLElement, mem: HTMLElement, memText: HTMLElement, podsText: HTMLElement, marks: HTMLElement, stop: HTMLButtonElement, cordon: HTMLButtonElement }>} */
    this.nodeBoxes = new Map();
    /** @type {Map<string, { chip: HTMLElement, parent: string }>} */
    this.chips = new Map();
    /** @type {string | undefined} */
    this.selected = undefined;
    this.stats = { frames: 0, lastRenderMs: 0, maxRenderMs: 0, lastPods: 0 };
    /** @type {Map<string, number>} When each side panel was last drawn. */
    this.panelAt = new Map();
    /** @type {{ chip: HTMLElement, until: number }[]} Chips ringed as changed, oldest first. */
    this.fresh = [];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.freshTimer = undefined;
  }

  /** @param {string} ns '' for every namespace */
  setNamespace(ns) {
    this.namespace = ns;
    this.model.touchAll();
  }

  /** @param {any} obj */
  shown(obj) {
    return !this.namespace || obj?.metadata?.namespace === this.namespace;
  }

  /** Brings the DOM up to date with what changed in the model since the last frame. */
  render() {
    const t0 = performance.now();
    const dirty = this.model.takeDirty();
    if (dirty.kinds.size === 0) return;
    performance.mark('dashboard:render:start');
    for (const name of dirty.nodes) this.renderNode(name);
    for (const key of dirty.pods) this.renderPod(key);
    this.laneCount.textContent = String(this.laneEl.querySelectorAll('.chip:not(.leaving)').length);
    // The side panels are read, not watched chip by chip: a few updates a second is all an eye can
    // follow, and each one animates; what changes meanwhile waits for the next.
    const now = performance.now();
    const due = (/** @type {string} */ panel, /** @type {string[]} */ kinds) => {
      if (!kinds.some((k) => dirty.kinds.has(k))) return false;
      if (now - (this.panelAt.get(panel) ?? -Infinity) >= PANEL_MS) {
        this.panelAt.set(panel, now);
        return true;
      }
      for (const k of kinds) if (dirty.kinds.has(k)) this.model.dirty.kinds.add(k);
      return false;
    };
    if (due('deployments', ['deployments', 'replicasets'])) this.renderDeployments();
    if (due('services', ['services', 'endpoints'])) this.renderServices();
    if (due('events', ['events'])) this.renderEvents();
    if (this.selected && dirty.pods.has(this.selected)) this.renderInspector();
    performance.mark('dashboard:render:end');
    performance.measure('dashboard:render', 'dashboard:render:start', 'dashboard:render:end');
    const ms = performance.now() - t0;
    this.stats.frames++;
    this.stats.lastRenderMs = ms;
    this.stats.maxRenderMs = Math.max(this.stats.maxRenderMs, ms);
    this.stats.lastPods = dirty.pods.size;
  }

  /** @param {string} name */
  renderNode(name) {
    if (name === '') return;
    const node = this.model.all('nodes').get(name);
    let view = this.nodeBoxes.get(name);
    if (!node) {
      if (view) {
        this.nodeBoxes.delete(name);
        leave(view.box);
      }
      return;
    }
    if (!view) view = this.createNode(name);
    const marks = nodeMarks(node);
    const fill = nodeFill(node, this.model.podsOn(name));
    view.box.classList.toggle('is-notready', marks.notReady);
    view.box.classList.toggle('is-cordoned', marks.cordoned);
    view.box.classList.toggle('is-stopped', marks.stopped);
    view.cpu.style.transform = `scaleX(${fill.cpu.percent / 100})`;
    view.mem.style.transform = `scaleX(${fill.memory.percent / 100})`;
    // The bars' own movement shows these change; a flash on every node at every pod would be noise.
    setText(view.cpuText, `CPU ${formatCpu(fill.cpu.used)} / ${formatCpu(fill.cpu.total)}`, false);
    setText(view.memText, `MEM ${formatBytes(fill.memory.used)} / ${formatBytes(fill.memory.total)}`, false);
    setText(view.podsText, `${fill.pods.used} pods`, false);
    const words = [];
    if (marks.notReady) words.push(['notready', marks.ready === 'Unknown' ? 'NotReady (Unknown)' : 'NotReady']);
    if (marks.cordoned) words.push(['cordoned', 'SchedulingDisabled']);
    if (marks.stopped) words.push(['stopped', 'heartbeats stopped']);
    syncList(view.marks, words, (w) => w[0], (w) => el('span', `mark mark-${w[0]}`), (e, w) => setText(e, w[1]));
    view.stop.textContent = marks.stopped ? 'start' : 'stop';
    view.stop.dataset.stopped = String(marks.stopped);
    view.cordon.textContent = marks.cordoned ? 'uncordon' : 'cordon';
    view.cordon.dataset.cordoned = String(marks.cordoned);
  }

  /** @param {string} name */
  createNode(name) {
    const box = el('div', 'node enter');
    box.dataset.node = name;
    const head = el('div', 'node-head');
    head.append(el('span', 'node-name', name));
    const marks = el('span', 'marks');
    const stop = /** @type {HTMLButtonElement} */ (el('button', 'ctl ctl-heartbeats', 'stop'));
    stop.title = 'Stop or start this node\'s heartbeats (minik.dev/heartbeats)';
    stop.addEventListener('click', () => this.handlers.onHeartbeats(name, stop.dataset.stopped !== 'true'));
    const cordon = /** @type {HTMLButtonElement} */ (el('button', 'ctl ctl-cordon', 'cordon'));
    cordon.title = 'Cordon or uncordon (spec.unschedulable)';
    cordon.addEventListener('click', () => this.handlers.onCordon(name, cordon.dataset.cordoned !== 'true'));
    head.append(marks, stop, cordon);
    const bar = (/** @type {string} */ cls) => {
      const b = el('div', `bar ${cls}`);
      const f = el('span', 'fill');
      const t = el('span', 'bar-text');
      b.append(f, t);
      return { b, f, t };
    };
    const cpu = bar('bar-cpu');
    const mem = bar('bar-mem');
    const podsText = el('span', 'pod-count');
    const bars = el('div', 'bars');
    bars.append(cpu.b, mem.b, podsText);
    const chips = el('div', 'chips');
    box.append(head, bars, chips);
    // Keep boxes in name order: node-2 before node-10.
    const after = [...this.nodeBoxes.keys()].filter((n) => compareNames(n, name) > 0).sort(compareNames)[0];
    this.nodesEl.insertBefore(box, after ? this.nodeBoxes.get(after)?.box ?? null : null);
    const view = { box, chips, cpu: cpu.f, cpuText: cpu.t, mem: mem.f, memText: mem.t, podsText, marks, stop, cordon };
    this.nodeBoxes.set(name, view);
    // Pods seen before their node waited in the lane: move them in.
    for (const key of this.model.podsByNode.get(name) ?? []) this.model.dirty.pods.add(key);
    this.model.dirty.kinds.add('pods');
    return view;
  }

  /** @param {string} key */
  renderPod(key) {
    const pod = this.model.all('pods').get(key);
    const have = this.chips.get(key);
    if (!pod || !this.shown(pod)) {
      if (have) {
        this.chips.delete(key);
        leave(have.chip);
      }
      return;
    }
    const nodeName = pod.spec?.nodeName ?? '';
    const box = nodeName ? this.nodeBoxes.get(nodeName) : undefined;
    const parent = box ? nodeName : '';
    const look = podLook(pod);
    let chip = have?.chip;
    if (!chip) {
      chip = el('div', 'chip enter');
      chip.dataset.pod = key;
      chip.append(el('span', 'chip-name'), el('span', 'chip-restarts'));
      chip.addEventListener('click', () => this.select(key));
    }
    if (!have || have.parent !== parent) {
      (box ? box.chips : this.laneEl).append(chip);
      this.freshen(chip);
    }
    this.chips.set(key, { chip, parent });
    if (chip.dataset.state !== look.state) {
      if (chip.dataset.state) chip.classList.remove(`s-${chip.dataset.state}`);
      chip.classList.add(`s-${look.state}`);
      chip.dataset.state = look.state;
      this.freshen(chip);
    }
    const label = /** @type {HTMLElement} */ (chip.firstChild);
    const short = chipName(pod.metadata.name, pod.metadata.ownerReferences);
    if (label.textContent !== short) label.textContent = short;
    const restarts = /** @type {HTMLElement} */ (chip.lastChild);
    const r = look.restarts > 0 ? `↻${look.restarts}` : '';
    if (restarts.textContent !== r) restarts.textContent = r;
    chip.title = `${key}\n${look.label}${nodeName ? ` on ${nodeName}` : ''}${look.restarts ? `, ${look.restarts} restarts` : ''}`;
    chip.classList.toggle('selected', this.selected === key);
  }

  /**
   * Rings a chip that appeared, moved or changed state for a moment (dense chips show it; the
   * others have their animations). One timer clears every ring that is due.
   * @param {HTMLElement} chip
   */
  freshen(chip) {
    chip.classList.add('fresh');
    this.fresh.push({ chip, until: performance.now() + FRESH_MS });
    if (this.freshTimer === undefined) this.freshTimer = setTimeout(() => this.clearFresh(), FRESH_MS);
  }

  clearFresh() {
    this.freshTimer = undefined;
    const now = performance.now();
    let i = 0;
    for (; i < this.fresh.length && /** @type {{ until: number }} */ (this.fresh[i]).until <= now; i++) {
      /** @type {{ chip: HTMLElement }} */ (this.fresh[i]).chip.classList.remove('fresh');
    }
    this.fresh.splice(0, i);
    const next = this.fresh[0];
    if (next) this.freshTimer = setTimeout(() => this.clearFresh(), Math.max(0, next.until - now));
  }

  renderDeployments() {
    const rsRows = [...this.model.all('replicasets').values()].filter((rs) => this.shown(rs)).map(replicaSetRow);
    const rows = [...this.model.all('deployments').values()]
      .filter((d) => this.shown(d))
      .map(deploymentRow)
      .sort((a, b) => compareNames(a.key, b.key));
    syncList(
      this.deploysEl,
      rows,
      (r) => r.key,
      (r) => {
        const e = el('div', 'deploy');
        e.dataset.deploy = r.key;
        const head = el('div', 'deploy-head');
        const minus = el('button', 'ctl ctl-scale-down', '−');
        minus.title = 'Scale down by one';
        const plus = el('button', 'ctl ctl-scale-up', '+');
        plus.title = 'Scale up by one';
        const scale = (/** @type {number} */ by) => {
          const d = this.model.all('deployments').get(r.key);
          this.handlers.onScale(r.namespace, r.name, (d?.spec?.replicas ?? 1) + by);
        };
        minus.addEventListener('click', () => scale(-1));
        plus.addEventListener('click', () => scale(1));
        head.append(el('span', 'deploy-name', this.namespace ? r.name : r.key), minus, plus);
        const counts = el('div', 'counts');
        for (const c of ['desired', 'current', 'updated', 'available']) {
          const cell = el('span', `count count-${c}`);
          cell.append(el('b', 'n'), el('small', '', c === 'updated' ? 'up-to-date' : c));
          counts.append(cell);
        }
        e.append(head, counts, el('div', 'rs-list'));
        return e;
      },
      (e, r) => {
        e.classList.toggle('rolling', r.rolling);
        for (const c of /** @type {const} */ (['desired', 'current', 'updated', 'available'])) {
          setText(/** @type {Element} */ (e.querySelector(`.count-${c} .n`)), String(r[c]));
        }
        const mine = visibleReplicaSets(rsRows.filter((s) => s.owner === r.key));
        syncList(
          /** @type {Element} */ (e.querySelector('.rs-list')),
          mine,
          (s) => s.key,
          () => {
            const line = el('div', 'rs');
            line.append(el('span', 'rs-name'), el('span', 'rs-counts'));
            return line;
          },
          (line, s) => {
            setText(/** @type {Element} */ (line.firstChild), `${s.name}${s.revision ? ` rev ${s.revision}` : ''}`);
            setText(/** @type {Element} */ (line.lastChild), `${s.ready}/${s.desired} ready`);
            line.classList.toggle('empty', s.desired === 0 && s.current === 0);
          },
        );
      },
    );
  }

  renderServices() {
    const endpoints = this.model.all('endpoints');
    const rows = [...this.model.all('services').values()]
      .filter((s) => this.shown(s))
      .map((s) => serviceRow(s, endpoints.get(`${s.metadata.namespace}/${s.metadata.name}`)))
      .sort((a, b) => compareNames(a.key, b.key));
    syncList(
      this.servicesEl,
      rows,
      (r) => r.key,
      () => {
        const e = el('div', 'service');
        e.append(el('div', 'svc-head'), el('div', 'endpoints'));
        return e;
      },
      (e, r) => {
        setText(/** @type {Element} */ (e.firstChild), `${this.namespace ? r.name : r.key}  ${r.type} ${r.ip}  ${r.ports}`);
        const addrs = [...r.ready.map((a) => ['ready', a]), ...r.notReady.map((a) => ['notready', a])];
        if (addrs.length === 0) addrs.push(['none', r.selector ? 'no endpoints' : 'no selector']);
        syncList(
          /** @type {Element} */ (e.lastChild),
          addrs,
          (a) => a[1],
          () => el('span', 'ep'),
          (x, a) => {
            x.className = `ep ep-${a[0]}`;
            x.textContent = a[1];
          },
        );
      },
    );
  }

  renderEvents() {
    const events = [...this.model.all('events').values()].filter((e) => this.shown(e));
    syncList(
      this.eventsEl,
      feed(events, FEED_LENGTH),
      (e) => String(e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`),
      () => {
        const li = el('li', 'event');
        li.append(el('span', 'ev-reason'), el('span', 'ev-object'), el('span', 'ev-message'), el('span', 'ev-count'));
        return li;
      },
      (li, ev) => {
        const line = eventLine(ev);
        li.classList.toggle('warning', line.warning);
        const [reason, object, message, count] = /** @type {HTMLElement[]} */ ([...li.children]);
        setText(/** @type {HTMLElement} */ (reason), line.reason);
        setText(/** @type {HTMLElement} */ (object), line.object);
        setText(/** @type {HTMLElement} */ (message), line.message);
        setText(/** @type {HTMLElement} */ (count), line.count);
      },
      // In a rollout the whole feed turns over several times a second: moving every line would only blur.
      { animateUpTo: 5 },
    );
  }

  /** @param {string | undefined} key */
  select(key) {
    const old = this.selected ? this.chips.get(this.selected) : undefined;
    old?.chip.classList.remove('selected');
    this.selected = key;
    if (key) this.chips.get(key)?.chip.classList.add('selected');
    this.renderInspector();
  }

  renderInspector() {
    const pod = this.selected ? this.model.all('pods').get(this.selected) : undefined;
    const box = this.inspector;
    if (!pod) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const look = podLook(pod);
    /** @type {HTMLElement} */ (box.querySelector('.insp-name')).textContent = `pod ${this.selected}`;
    /** @type {HTMLElement} */ (box.querySelector('.insp-status')).textContent =
      `${look.label} · ${pod.spec?.nodeName ? `on ${pod.spec.nodeName}` : 'not scheduled'}` +
      `${pod.status?.podIP ? ` · ${pod.status.podIP}` : ''}${look.restarts ? ` · ${look.restarts} restarts` : ''}`;
  }
}
