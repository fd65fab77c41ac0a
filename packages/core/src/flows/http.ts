import * as oauth from 'oauth4webapi'

/** How flows talk HTTP: the injectable fetch, a per-request timeout, and the loopback exception. */
export interface HttpOptions {
  readonly fetch: typeof fetch
  readonly timeoutMs: number
  /** Plain HTTP is allowed only for loopback issuers (local development). */
  readonly allowHttp: boolean
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
