declare const banner: HTMLElement
// ---cut---
import { auth } from './auth'

// Show a warning before the session can no longer be renewed, and a clear message once it ended.
auth.subscribe(() => {
  const { status, error } = auth.getSnapshot()
  if (status === 'unauthenticated' && error?.code === 'ERR_SESSION_EXPIRED') {
    banner.textContent = 'Your session has ended. Sign in again to continue.'
    banner.hidden = false
  } else if (status === 'authenticated') {
    banner.hidden = true
  }
})

// A session without a way to renew it (no refresh token, no refresh.silent) ends at expiresAt:
// warn a minute before, while a click can still save the user's work.
setInterval(() => {
  const { status, expiresAt } = auth.getSnapshot()
  if (status !== 'authenticated' || expiresAt === null) return
  const left = expiresAt - Date.now()
  if (left > 0 && left < 60_000) {
    banner.textContent = `Your session ends in ${Math.ceil(left / 1000)} s.`
    banner.hidden = false
  }
}, 1_000)
