// Step-up authentication (RFC 9470) for createAuthFetch, loaded when an API first asks for it:
// reading the challenge, the error that carries it, and the one login that answers it for every
// call that met it.
import type * as oauth from 'oauth4webapi'
import type { AuthClient } from './api'
import type { AuthError } from './errors'

/** What an RFC 9470 challenge asks for, as login options. */
export interface StepUpChallenge {
  acrValues?: string[]
  maxAgeS?: number
}

/** What an RFC 9470 challenge (`insufficient_user_authentication`) asks for: its `acr_values` / `max_age`. */
export function stepUpChallenge(challenges: readonly oauth.WWWAuthenticateChallenge[] = []): StepUpChallenge {
  const c = challenges.find((c) => c.parameters.error === 'insufficient_user_authentication')
  const asked: StepUpChallenge = {}
  const acr = c?.parameters.acr_values?.split(' ').filter(Boolean)
  if (acr?.length) asked.acrValues = acr
  const maxAge = c?.parameters.max_age
  if (maxAge !== undefined && /^\d+$/.test(maxAge)) asked.maxAgeS = Number(maxAge)
  return asked
}

/**
 * The typed error for a challenge. `AuthError` comes from the caller (authFetch): a value this
 * lazily loaded module imported from the start bundle would make esbuild split that module into a
 * chunk of its own, which every page would then load at start.
 */
export function stepUpError(asked: StepUpChallenge, Err: typeof AuthError): AuthError {
  const what = [asked.acrValues && `acr_values "${asked.acrValues.join(' ')}"`, asked.maxAgeS !== undefined && `max_age ${asked.maxAgeS}`].filter(Boolean).join(', ')
  const e = new Err('ERR_STEP_UP_REQUIRED', `The API asks for a stronger or more recent sign-in${what ? ` (${what})` : ''}`, {
    status: 401,
    error: 'insufficient_user_authentication',
  })
  return Object.assign(e, asked)
}

/**
 * The step-up login: `login()` with what the API asked for, by popup or redirect, once for all
 * the calls that met the same challenge at the same time.
 */
export function createStepUpLogin(login: AuthClient['login'], mode: 'popup' | 'redirect'): (asked: StepUpChallenge) => Promise<void> {
  const stepping = new Map<string, Promise<void>>()
  return (asked) => {
    const key = JSON.stringify(asked)
    let p = stepping.get(key)
    if (!p) {
      // Many providers treat acr_values as a wish and would answer from the current sign-in:
      // prompt=login makes them authenticate the user again (max_age is enforced by itself).
      const started = login({ ...asked, ...(asked.acrValues ? { prompt: 'login' as const } : {}), ...(mode === 'popup' ? { popup: true } : {}) })
      // A redirect login leaves the page: the call stays pending until it has gone.
      p = (mode === 'popup' ? started : started.then(() => new Promise<void>(() => {}))).finally(() => stepping.delete(key))
      stepping.set(key, p)
    }
    return p
  }
}
