import { auth } from '../support/auth'
// ---cut---
import { isAuthError } from '@tokenkeep/core'
try { await auth.getAccessToken() } catch (e) {
  if (isAuthError(e, 'ERR_LOGIN_REQUIRED') || isAuthError(e, 'ERR_SESSION_EXPIRED')) await auth.login()
}
