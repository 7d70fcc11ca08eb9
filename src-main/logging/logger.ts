/**
 * The one structured logger: JSON lines on stderr with a timestamp, level,
 * module, a stable event name and redacted fields.
 *
 * Level comes from `CELLVIT_LOG_LEVEL` (`debug`, `info`, `warn`, `error`,
 * `silent`); the default is `info`, and `debug` is meant for development only. An
 * unknown level is logged as a warning and `info` used instead.
 */
import pino from 'pino';
import { redactFields, redactText } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A module's logger: `event` is a stable dotted name such as `slide.open.failed`. */
export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

type Sink = (line: string) => void;

let sink: Sink | null = null;
let root: pino.Logger | null = null;

/** The levels `CELLVIT_LOG_LEVEL` may name: pino's own, `trace` and `fatal` included. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Whether `value` names one of {@link LOG_LEVELS} (any case, spaces around allowed). */
export function isLogLevel(value: string): boolean {
  return LOG_LEVELS.includes(value.trim().toLowerCase());
}

function rootLogger(): pino.Logger {
  if (root) return root;
  const asked = (process.env.CELLVIT_LOG_LEVEL ?? 'info').trim().toLowerCase();
  const isKnown = isLogLevel(asked);
  const destination = sink
    ? { write: (line: string) => sink?.(line) }
    : pino.destination({ fd: 2, sync: true });
  root = pino(
    {
      level: isKnown ? asked : 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  if (!isKnown) {
    root.warn({
      module: 'logging',
      event: 'log.level.unknown',
      accepted: LOG_LEVELS.join(', '),
      using: 'info',
    });
  }
  return root;
}

/**
 * Sends every log line to `write` instead of stderr (tests and the Electron
 * shell use this); `null` restores stderr.
 */
export function setLogSink(write: Sink | null): void {
  sink = write;
  root = null;
}

/** Creates the logger of one module, e.g. `createLogger('slides')`. */
export function createLogger(module: string): Logger {
  const emit = (level: LogLevel, event: string, fields?: Record<string, unknown>) => {
    const safe = fields ? (redactFields(fields) as Record<string, unknown>) : {};
    rootLogger()[level]({ module, event: redactText(event), ...safe });
  };
  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
