import { createAuthClient } from '@tokenkeep/core'

export const auth = createAuthClient({
  // The user pool is the issuer; the login pages live on the pool's own domain
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  clientId: '1example23456789abcdefghij',
  redirectUri: `${location.origin}/callback`,
  // Scopes the app client allows; Cognito issues refresh tokens without offline_access
  scope: 'openid profile email',
  storage: 'indexeddb',
})
