import { createAuthClient } from '@tokenkeep/core'

export const auth = createAuthClient({
  issuer: 'https://id.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  provider: {
    // The Location of the 301 that ERR_DISCOVERY named: the document is only served here.
    metadataUrl: 'https://id.example.com/.well-known/openid-configuration/',
    // The provider revokes tokens here but does not say so in its metadata.
    metadataSeed: { revocation_endpoint: 'https://id.example.com/oauth/revoke' },
  },
})
