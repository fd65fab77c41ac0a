// ---cut---
import { createAuthFetch, isAuthError } from '@tokenkeep/core'
import { auth } from './auth'

// An API that answers 401 insufficient_user_authentication (RFC 9470) gets the sign-in it
// asks for: a popup with its acr_values / max_age, then the same request once more.
const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'], stepUp: 'popup' })

// Call it from the click: the browser allows the step-up popup for a few seconds after one.
export async function transfer(amount: number): Promise<'done' | 'not-stepped-up'> {
  try {
    const response = await api('https://api.example.com/transfers', { method: 'POST', body: JSON.stringify({ amount }) })
    if (!response.ok) throw new Error(`transfer: HTTP ${response.status}`)
    return 'done'
  } catch (e) {
    // The provider did not authenticate the user as strongly as asked, or the API still refuses.
    if (isAuthError(e, 'ERR_ACR_MISMATCH') || isAuthError(e, 'ERR_STEP_UP_REQUIRED')) return 'not-stepped-up'
    throw e
  }
}

// Without `stepUp`, the call rejects with what the API asked for, and the app decides.
export async function stepUpYourself(e: unknown): Promise<void> {
  if (isAuthError(e, 'ERR_STEP_UP_REQUIRED')) {
    await auth.login({ popup: true, prompt: 'login', ...(e.acrValues ? { acrValues: [...e.acrValues] } : {}), ...(e.maxAgeS !== undefined ? { maxAgeS: e.maxAgeS } : {}) })
  }
}
