// The opt-in half of debug logging: names each event code of logger.ts and turns its raw values
// into the entry's data. An app that never imports debugLogger() ships none of this.
import { optionError } from './errors'
import type { LogData, LogEntry, LogEvents, Logger, LogLevel } from './logger'

type Values = LogEvents[keyof LogEvents]
type Spec = readonly [event: string, level: LogLevel, data?: (...values: never[]) => LogData]

const code = (e: unknown): string => {
  const c = (e as { code?: unknown } | null)?.code
  return typeof c === 'string' ? c : 'ERR_TOKEN_RESPONSE'
}

/** By event code (logger.ts): the entry's name, level and data. */
const EVENTS: { readonly [E in keyof LogEvents]: readonly [string, LogLevel, ((...values: LogEvents[E]) => LogData)?] } = [
  ['session.restored', 'debug', (expiresInMs, refreshToken) => ({ expiresInMs, refreshToken })],
  ['session.none', 'debug'],
  ['session.discarded', 'info', () => ({ reason: 'unreadable' })],
  ['session.discarded', 'info', () => ({ reason: 'expired, nothing can renew it' })],
  ['refresh.scheduled', 'debug', (at, inMs, renewable) => ({ at: new Date(at).toISOString(), inMs: Math.round(inMs), reason: renewable ? 'leeway' : 'expiry' })],
  ['lock.waited', 'debug', (ms) => ({ ms })],
  ['refresh.adopted', 'debug', (seq) => ({ seq, reason: 'another tab renewed' })],
  ['refresh.start', 'debug', (silent) => ({ grant: silent ? 'silent' : 'refresh_token' })],
  ['refresh.done', 'debug', (expiresInMs, rotated) => ({ expiresInMs, rotated })],
  ['refresh.retry', 'warn', (inMs, attempt, code) => ({ inMs: Math.round(inMs), attempt, code })],
  ['session.ended', 'info', (code) => ({ code })],
  ['storage.fallback', 'warn', (code) => ({ code })],
  ['login.begin', 'info', (mode, par, ...params) => ({ mode, par, params: params.flatMap((p) => Object.keys(p)).join(',') })],
  ['callback.received', 'debug', (mode) => ({ mode })],
  ['signed.in', 'info', (mode, userinfo) => ({ mode, userinfo })],
  ['callback.failed', 'warn', (mode, error) => ({ mode, code: code(error) })],
  ['userinfo.merged', 'debug', (claims) => ({ claims: Object.keys(claims).length })],
  ['userinfo.failed', 'warn', (code) => ({ code })],
  ['tab.session', 'debug', (seq) => ({ seq })],
  ['tab.signedOut', 'debug', (code) => ({ code: code ?? 'logout' })],
  ['tab.duplicate', 'info', (droppedRefreshToken) => ({ droppedRefreshToken })],
  ['logout', 'info', (localOnly, revoked) => ({ localOnly, revoked })],
]

/** Where {@link debugLogger} sends entries: `console`-like (`debug`, `info`, `warn`), or a function. */
export type LogTarget = Pick<Console, 'debug' | 'info' | 'warn'> | ((entry: LogEntry) => void)

/**
 * Debug logging (the client's `logger` option): tells what the client decided and why (session
 * restored, refresh scheduled at, lock waited, another tab renewed, retry in N ms, storage fell
 * back, ...). To `console` (the default, or anything with `debug`, `info` and `warn`) it prints
 * one line per entry, `[tokenkeep] <event>` and its data; a function gets each
 * {@link LogEntry} `{ level, event, data }`. Entries never carry a token, code, verifier, state,
 * nonce, key, claim value or URL with a query. A target that throws is ignored. A separate
 * import, so that apps without it don't ship the event names. See {@link https://github.com/tokenkeep/tokenkeep/blob/main/packages/core/docs/login-options.md#debug-logging-logger | the debug log}.
 *
 * @throws TypeError `ERR_INVALID_OPTION` for a target that is neither.
 * @example
 * ```ts
 * import { createAuthClient, debugLogger } from '@tokenkeep/core'
 *
 * createAuthClient({ ...options, logger: debugLogger(console) })
 * createAuthClient({ ...options, logger: debugLogger((entry) => telemetry.track('auth', entry)) })
 * ```
 */
export function debugLogger(target: LogTarget = console): Logger {
  const t = target as unknown as Record<string, unknown>
  if (typeof target !== 'function' && !(typeof t === 'object' && t !== null && ['debug', 'info', 'warn'].every((m) => typeof t[m] === 'function'))) {
    throw optionError('logger', 'debugLogger() takes console (an object with debug, info and warn) or a function')
  }
  return Object.freeze({
    emit(event: keyof LogEvents, ...values: Values) {
      try {
        const [name, level, data] = EVENTS[event] as unknown as Spec
        const d = Object.freeze(data ? (data as (...v: Values) => LogData)(...values) : {})
        if (typeof target === 'function') target(Object.freeze({ level, event: name, data: d }))
        else target[level](`[tokenkeep] ${name}`, d)
      } catch {
        // Logging is best effort.
      }
    },
  } as Logger)
}
