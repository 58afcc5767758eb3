import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout, one event a line, as every minik process logs.
 * `MINIK_LOG_LEVEL` (debug, info, warn, error, silent) sets how much.
 */
export function createLogger(component: string, level = process.env.MINIK_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that writes nothing, for tests and the in-process cluster. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
