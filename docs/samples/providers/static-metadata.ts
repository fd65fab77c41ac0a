import { createAuthClient, type ProviderMetadata } from '@tokenkeep/core'

// A provider with no discovery document at all: describe it once, no discovery request is made.
const metadata: ProviderMetadata = {
  issuer: 'https://legacy.example.com', // must equal the issuer option
  authorization_endpoint: 'https://legacy.example.com/oauth/authorize',
  token_endpoint: 'https://legacy.example.com/oauth/token',
  revocation_endpoint: 'https://legacy.example.com/oauth/revoke',
  end_session_endpoint: 'https://legacy.example.com/logout',
  code_challenge_methods_supported: ['S256'],
}

export const auth = createAuthClient({
  issuer: 'https://legacy.example.com',
  clientId: 'my-spa',
  redirectUri: `${location.origin}/callback`,
  provider: { metadata },
})
