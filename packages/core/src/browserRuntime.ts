// Whether this runtime is a browser page. The client needs `window`, `document` and `location`
// for everything it does; a server render, a test runner without a DOM or a worker has none.
import { AuthError } from './errors'

/** True in a browser page (window, document and location are all there). */
export function hasBrowser(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined' && typeof location !== 'undefined'
}

/** The typed error for `action` in a runtime without a browser page. */
export function noBrowserError(action: string): AuthError {
  return new AuthError(
    'ERR_NO_BROWSER',
    `tokenkeep: ${action} needs a browser page; this runtime has none (a server render?)`,
  )
}
