// Debug logging, the part every app ships: event codes and the types. The client reports each
// decision as a code and a few raw values, which costs (nearly) nothing; the opt-in
// debugLogger() turns them into named entries. Values passed here are numbers, booleans, codes
// and modes, or objects of which only the keys (parameter names) or their count are read:
// never a token, code, verifier, state, nonce, key, claim value or URL with a query.

/** How much an entry matters: decisions are `debug`, sign-in/out `info`, fallbacks and retries `warn`. */
export type LogLevel = 'debug' | 'info' | 'warn'

/** The details of an entry. Values are numbers, booleans and words; no secret ever appears. */
export type LogData = Readonly<Record<string, string | number | boolean>>

/** One log entry, as a logger function receives it. */
export interface LogEntry {
  /** How much it matters: `debug` for routine decisions, `info` for state changes, `warn` for trouble. */
  readonly level: LogLevel
  /** Stable name of what happened: `session.restored`, `refresh.scheduled`, `lock.waited`, ... */
  readonly event: string
  /** Details (times, counts, codes); never a token, code, verifier or key. */
  readonly data: LogData
}

// Event codes (inlined by bundlers); debugLogger.ts names them.
export const SESSION_RESTORED = 0
export const SESSION_NONE = 1
export const SESSION_UNREADABLE = 2
export const SESSION_EXPIRED = 3
export const REFRESH_SCHEDULED = 4
export const LOCK_WAITED = 5
export const REFRESH_ADOPTED = 6
export const REFRESH_START = 7
export const REFRESH_DONE = 8
export const REFRESH_RETRY = 9
export const SESSION_ENDED = 10
export const STORAGE_FALLBACK = 11
export const LOGIN_BEGIN = 12
export const CALLBACK_RECEIVED = 13
export const SIGNED_IN = 14
export const CALLBACK_FAILED = 15
export const USERINFO_MERGED = 16
export const USERINFO_FAILED = 17
export const TAB_SESSION = 18
export const TAB_SIGNED_OUT = 19
export const TAB_DUPLICATE = 20
export const LOGOUT = 21

type Mode = 'redirect' | 'popup' | 'silent'

/** The raw values each event carries, in order (see debugLogger.ts for what becomes of them). */
export interface LogEvents {
  [SESSION_RESTORED]: [expiresInMs: number, refreshToken: boolean]
  [SESSION_NONE]: []
  [SESSION_UNREADABLE]: []
  [SESSION_EXPIRED]: []
  [REFRESH_SCHEDULED]: [at: number, inMs: number, renewable: boolean]
  [LOCK_WAITED]: [ms: number]
  [REFRESH_ADOPTED]: [seq: number]
  [REFRESH_START]: [silent: boolean]
  [REFRESH_DONE]: [expiresInMs: number, rotated: boolean]
  [REFRESH_RETRY]: [inMs: number, attempt: number, code: string]
  [SESSION_ENDED]: [code: string]
  [STORAGE_FALLBACK]: [code: string]
  /** The parameter objects are read for their names only: values (login_hint, ...) may be personal. */
  [LOGIN_BEGIN]: [mode: Mode, par: boolean, ...params: Readonly<Record<string, unknown>>[]]
  [CALLBACK_RECEIVED]: [mode: Mode]
  [SIGNED_IN]: [mode: Mode, userinfo: boolean]
  /** The error is read for its `code` only. */
  [CALLBACK_FAILED]: [mode: Mode, error: unknown]
  /** Read for how many claims there are only. */
  [USERINFO_MERGED]: [claims: Readonly<Record<string, unknown>>]
  [USERINFO_FAILED]: [code: string]
  [TAB_SESSION]: [seq: number]
  [TAB_SIGNED_OUT]: [code: string | undefined]
  [TAB_DUPLICATE]: [droppedRefreshToken: boolean]
  [LOGOUT]: [localOnly: boolean, revoked: boolean]
}

/** The client's internal log function; `undefined` when no logger is set. */
export type Log = <E extends keyof LogEvents>(event: E, ...values: LogEvents[E]) => void

/**
 * What {@link debugLogger} returns; pass it as the client's `logger` option.
 *
 * @example
 * ```ts
 * createAuthClient({ ...options, logger: debugLogger(console) })
 * ```
 */
export interface Logger {
  /** Internal: the client reports an event code and its raw values. */
  readonly emit: Log
}
