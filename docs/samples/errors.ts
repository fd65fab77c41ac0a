// ---cut---
import { isAuthError } from '@tokenkeep/core'
import { auth } from './auth'

// Background problems: read them from the snapshot.
auth.subscribe(() => {
  const { status, error } = auth.getSnapshot()
  if (error?.code === 'ERR_AUTHORIZATION' && error.error === 'access_denied') console.info('Sign-in cancelled')
  else if (error && status === 'authenticated') console.warn('Still signed in, but:', error.code)
})

// Actions: catch their rejections.
try {
  await auth.getAccessToken()
} catch (e) {
  if (isAuthError(e, 'ERR_LOGIN_REQUIRED') || isAuthError(e, 'ERR_SESSION_EXPIRED')) await auth.login()
  else throw e
}
