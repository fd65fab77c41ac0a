// What every benchmark page exposes to the runner (bench/lib/browser.mjs) on `window.__bench`.
declare const __BENCH__: { issuer: string; clientId: string }

export const config = __BENCH__

export interface BenchPage {
  sdk: string
  /** 'authenticated' once the SDK holds a session it considers valid; anything else otherwise. */
  status: string
  /** performance.now() (ms since navigation start) when the page script ran (the SDK is loaded). */
  scriptAt: number
  /** performance.now() (ms since navigation start) when the page first became authenticated. */
  authenticatedAt: number | null
  /** Starts a redirect login. */
  login(): Promise<void>
  /** An access token the way the SDK hands one out to the app, or null without a session. */
  accessToken(): Promise<string | null>
  /** Whether the provider's userinfo endpoint accepts that access token. */
  tokenAccepted(): Promise<boolean>
  /** A message when the SDK reported an error. */
  error: string | null
}

export function exposeBench(sdk: string, login: () => Promise<void>, accessToken: () => Promise<string | null>): BenchPage {
  const bench: BenchPage = {
    sdk,
    status: 'loading',
    scriptAt: performance.now(),
    authenticatedAt: null,
    error: null,
    login,
    accessToken,
    async tokenAccepted() {
      const token = await accessToken().catch(() => null)
      if (!token) return false
      const response = await fetch(`${config.issuer}/me`, { headers: { authorization: `Bearer ${token}` } })
      return response.ok
    },
  }
  ;(window as unknown as { __bench: BenchPage }).__bench = bench
  return bench
}

export function setStatus(bench: BenchPage, status: string): void {
  bench.status = status
  if (status === 'authenticated' && bench.authenticatedAt === null) bench.authenticatedAt = performance.now()
  document.querySelector('[data-testid="status"]')!.textContent = status
}
