// Wires the page: one list-watch per resource into the model, the board drawn once a frame, the
// controls sent to the API. Everything goes through the same public API kubectl uses.
import { send, cordonCall, deletePodCall, heartbeatsCall, scaleCall, speedCall, speedOf, SPEED_CONFIG } from './controls.js';
import { ListWatch } from './list-watch.js';
import { Model } from './model.js';
import { POD_STATES } from './pod-state.js';
import { Board } from './view.js';

const RESOURCES = [
  ['nodes', '/api/v1/nodes'],
  ['pods', '/api/v1/pods'],
  ['deployments', '/apis/apps/v1/deployments'],
  ['replicasets', '/apis/apps/v1/replicasets'],
  ['services', '/api/v1/services'],
  ['endpoints', '/api/v1/endpoints'],
  ['events', '/api/v1/events'],
  ['namespaces', '/api/v1/namespaces'],
];

const model = new Model();
const toastEl = /** @type {HTMLElement} */ (document.getElementById('toast'));
/** @param {string} message */
function toast(message) {
  toastEl.textContent = message;
  toastEl.classList.remove('show');
  void toastEl.offsetWidth;
  toastEl.classList.add('show');
}
/** @param {import('./controls.js').Call} call */
const act = (call) => send(call).catch((/** @type {Error} */ err) => toast(err.message));

const board = new Board(document, model, {
  onScale: (ns, name, replicas) => void act(scaleCall(ns, name, replicas)),
  onDeletePod: (ns, name) => void act(deletePodCall(ns, name)),
  onHeartbeats: (node, stopped) => void act(heartbeatsCall(node, stopped)),
  onCordon: (node, cordoned) => void act(cordonCall(node, cordoned)),
});

// Legend: what each colour means, in the order a pod lives through them.
const legend = /** @type {HTMLElement} */ (document.getElementById('legend'));
for (const s of POD_STATES) {
  const li = document.createElement('li');
  const dot = document.createElement('span');
  dot.className = `chip s-${s}`;
  li.append(dot, document.createTextNode(s));
  legend.append(li);
}

// Connection: "reconnecting" while any watch is down, so the class knows the board is stale.
const connEl = /** @type {HTMLElement} */ (document.getElementById('conn'));
/** @type {Map<string, string>} */
const states = new Map();
function showConnection() {
  const all = [...states.values()];
  const state = all.includes('reconnecting') ? 'reconnecting' : all.every((s) => s === 'live') ? 'live' : 'connecting';
  connEl.textContent = state === 'live' ? 'live' : `${state}…`;
  connEl.className = `conn conn-${state}`;
  document.body.classList.toggle('stale', state === 'reconnecting');
}

/** @type {ListWatch[]} */
const watches = [];
for (const [kind, path] of RESOURCES) {
  const k = /** @type {string} */ (kind);
  watches.push(
    new ListWatch({
      origin: location.origin,
      path: /** @type {string} */ (path),
      onReset: (items) => {
        model.reset(k, items);
        frame();
      },
      onEvent: (type, obj) => {
        model.apply(k, type, obj);
        frame();
      },
      onState: (s) => {
        states.set(k, s);
        showConnection();
      },
    }).start(),
  );
}

// The speed: the minik-config ConfigMap, watched so every open page shows the same value.
const speedEl = /** @type {HTMLSelectElement} */ (document.getElementById('speed'));
/** @type {any} */
let speedConfig;
watches.push(
  new ListWatch({
    origin: location.origin,
    path: `/api/v1/namespaces/${SPEED_CONFIG.namespace}/configmaps`,
    params: { fieldSelector: `metadata.name=${SPEED_CONFIG.name}` },
    onReset: (items) => showSpeed(items[0]),
    onEvent: (type, obj) => showSpeed(type === 'DELETED' ? undefined : obj),
  }).start(),
);
/** @param {any} cm */
function showSpeed(cm) {
  speedConfig = cm;
  const v = speedOf(cm) ?? 1;
  if (![...speedEl.options].some((o) => Number(o.value) === v)) speedEl.add(new Option(`${v}×`, String(v)));
  speedEl.value = String([...speedEl.options].find((o) => Number(o.value) === v)?.value);
}
speedEl.addEventListener('change', () => void act(speedCall(Number(speedEl.value), speedConfig !== undefined)));

// Namespaces: the picker follows the cluster's namespaces; the choice survives a reload.
const nsEl = /** @type {HTMLSelectElement} */ (document.getElementById('ns'));
const wanted = new URLSearchParams(location.search).get('namespace') ?? localStorage.getItem('minik.namespace') ?? 'default';
function showNamespaces() {
  const names = [...model.all('namespaces').keys()].sort();
  const current = nsEl.value || wanted;
  const options = ['', ...names];
  if (current && !names.includes(current)) options.push(current);
  nsEl.replaceChildren(...options.map((n) => new Option(n === '' ? 'all namespaces' : n, n)));
  nsEl.value = current === 'all' ? '' : current;
}
nsEl.addEventListener('change', () => {
  localStorage.setItem('minik.namespace', nsEl.value || 'all');
  board.setNamespace(nsEl.value);
  frame();
});
board.setNamespace(wanted === 'all' ? '' : wanted);
showNamespaces();

// The inspector's delete: the selected pod, through the API.
document.getElementById('delete-pod')?.addEventListener('click', () => {
  const key = board.selected;
  if (!key) return;
  const [ns, name] = key.split('/');
  board.handlers.onDeletePod(/** @type {string} */ (ns), /** @type {string} */ (name));
});
document.getElementById('close-inspector')?.addEventListener('click', () => board.select(undefined));

// One render a frame, however many events arrived: a burst costs one pass over what changed.
let scheduled = false;
function frame() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    const nsChanged = model.dirty.kinds.has('namespaces');
    board.render();
    // Hundreds of pods: chips become small squares so every node still fits on the screen.
    document.body.classList.toggle('dense', model.all('pods').size > 300);
    if (nsChanged) showNamespaces();
    if (model.dirty.kinds.size > 0) frame();
  });
}

// For tests and the benchmark: the model, the board's timings, and the watches.
Object.assign(window, { minikDashboard: { model, board, stats: board.stats, watches, frame } });
