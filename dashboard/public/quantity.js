// Kubernetes resource quantities, as the page needs them: to numbers (cores, bytes), not exact.

const SUFFIX = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1,
  k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/**
 * A quantity as a plain number: `parseQuantity('250m')` is 0.25, `parseQuantity('64Mi')` is
 * 67108864, `parseQuantity(2)` is 2. Anything that does not parse is 0, so one odd request never
 * breaks a node's bars.
 * @param {string | number | undefined | null} q
 * @returns {number}
 */
export function parseQuantity(q) {
  if (typeof q === 'number') return Number.isFinite(q) ? q : 0;
  if (typeof q !== 'string') return 0;
  const m = QUANTITY.exec(q.trim());
  if (!m) return 0;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[/** @type {keyof typeof SUFFIX} */ (m[3] ?? '')];
}

/**
 * Bytes for people: `formatBytes(3 * 2 ** 30)` is "3Gi".
 * @param {number} bytes
 */
export function formatBytes(bytes) {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)}${units[i]}`;
}

/**
 * Cores for people: `formatCpu(0.25)` is "250m", `formatCpu(2)` is "2".
 * @param {number} cores
 */
export function formatCpu(cores) {
  if (cores >= 1 && Number.isInteger(cores)) return String(cores);
  if (cores >= 10) return cores.toFixed(1);
  return `${Math.round(cores * 1000)}m`;
}
