/**
 * Reads MINIK_SPEED, the factor every simulated delay is divided by: unset means 1, 0.2 makes a
 * class demo five times slower, 10 makes a test run ten times faster.
 *
 *   parseSpeed(undefined)   // 1
 *   parseSpeed('0.2')       // 0.2
 *   parseSpeed('fast')      // throws: MINIK_SPEED must be a positive number, got "fast"
 */
export function parseSpeed(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`MINIK_SPEED must be a positive number, got "${value}"`);
  return speed;
}
