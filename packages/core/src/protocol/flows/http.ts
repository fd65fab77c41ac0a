import * as oauth from 'oauth4webapi'

/** How flows talk HTTP: the injectable fetch, a per-request timeout, and the loopback exception. */
export interface HttpOptions {
  readonly fetch: typeof fetch
  readonly timeoutMs: number
  /** Plain HTTP is allowed only for loopback issuers (local development). */
  readonly allowHttp: boolean
  /** The client's clock (epoch ms; the `now` option). Token time checks use it. Default `Date.now`. */
  readonly now?: () => number
}

/** The clock of `http`: the injected one, or the system's. */
export function clockOf(http: HttpOptions): () => number {
  return http.now ?? Date.now
}

/**
 * `client` with oauth4webapi's `clockSkew` set so that its JWT time checks (`exp`, `iat`) read
 * the injected clock, not `Date.now()`.
 */
export function withClock(client: oauth.Client, http: HttpOptions): oauth.Client {
  if (!http.now) return client
  return { ...client, [oauth.clockSkew]: Math.round((http.now() - Date.now()) / 1000) }
}

/** fetch rejected: no HTTP answer at all (offline, DNS, CORS, timeout). Tagged at the source. */
export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure'
}

export function requestOptions(http: HttpOptions): {
  [oauth.customFetch]: typeof fetch
  [oauth.allowInsecureRequests]: boolean
  signal: () => AbortSignal
} {
  return {
    [oauth.customFetch]: (input, init) =>
      http.fetch(input, init).catch((cause: unknown) => {
        throw new NetworkFailure('The request got no answer', { cause })
      }),
    [oauth.allowInsecureRequests]: http.allowHttp,
    signal: () => AbortSignal.timeout(http.timeoutMs),
  }
}
