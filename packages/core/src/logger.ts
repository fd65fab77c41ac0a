// Debug logging: an opt-in window on what the client decides and why. Entries carry an event
// name and a few numbers, booleans and words the client chose (codes, modes, reasons): never a
// token, code, verifier, state, nonce, key, claim value or URL with a query.

/** How much an entry matters: decisions are `debug`, sign-in/out `info`, fallbacks and retries `warn`. */
export type LogLevel = 'debug' | 'info' | 'warn'

/** The details of an entry. Values are numbers, booleans and words; no secret ever appears. */
export type LogData = Readonly<Record<string, string | number | boolean>>

/** One log entry, as a logger function receives it. */
export interface LogEntry {
  readonly level: LogLevel
  /** Stable name of what happened: `session.restored`, `refresh.scheduled`, `lock.waited`, ... */
  readonly event: string
  readonly data: LogData
}

/**
 * Where debug entries go: `console` (or anything with `debug`, `info` and `warn` methods), or a
 * function that receives each {@link LogEntry}. A logger that throws is ignored.
 *
 * @example
 * ```ts
 * createAuthClient({ ...options, logger: console })
 * createAuthClient({ ...options, logger: (entry) => myTelemetry.record('auth', entry) })
 * ```
 */
export type Logger = Pick<Console, 'debug' | 'info' | 'warn'> | ((entry: LogEntry) => void)

/** The client's internal log function; `undefined` when no logger is set. */
export type Log = (event: string, data?: LogData, level?: LogLevel) => void

/** Wraps the app's logger so that a logger can never break the client. */
export function createLog(logger: Logger | undefined): Log | undefined {
  if (!logger) return undefined
  return (event, data = {}, level = 'debug') => {
    try {
      if (typeof logger === 'function') logger(Object.freeze({ level, event, data }))
      else logger[level](`[tokenkeep] ${event}`, data)
    } catch {
      // Logging is best effort.
    }
  }
}

/** True for `console`-like objects and functions: what the `logger` option accepts. */
export function isLogger(value: unknown): value is Logger {
  if (typeof value === 'function') return true
  const l = value as Record<string, unknown> | null
  return typeof l === 'object' && l !== null && ['debug', 'info', 'warn'].every((m) => typeof l[m] === 'function')
}
