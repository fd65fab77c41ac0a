// ---cut---
import { isAuthError } from '@tokenkeep/core'
import { auth } from './auth'

// Background problems: read them from the snapshot. `error`: a sign-in failed or the session
// ended. `warning`: handled in the background, nothing lost (a renewal retried, storage in memory).
auth.subscribe(() => {
  const { error, warning } = auth.getSnapshot()
  if (error?.code === 'ERR_AUTHORIZATION' && error.error === 'access_denied') console.info('Sign-in cancelled')
  else if (error) console.error('Signed out or sign-in failed:', error.code)
  if (warning) console.warn('Still working on it:', warning.code)
})

// Actions: catch their rejections.
try {
  await auth.getAccessToken()
} catch (e) {
  if (isAuthError(e, 'ERR_LOGIN_REQUIRED') || isAuthError(e, 'ERR_SESSION_EXPIRED')) await auth.login()
  else throw e
}
