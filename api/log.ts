import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout, one event a line, as every minik process logs.
 * `MINIK_LOG_LEVEL` (debug, info, warn, error, silent) sets how much.
 */
export function createLogger(component: string, level = process.env.MINIK_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * A logger that writes nothing, for tests and the in-process cluster. One, shared: the simulated
 * cluster starts several components per scenario, and a logger is not free to make. Do not change
 * its level; make a logger of your own to hear anything.
 */
export function silentLogger(): Logger {
  return (silent ??= pino({ level: 'silent' }));
}
let silent: Logger | undefined;
