import { createAuthClient, type AuthClientOptions } from '@tokenkeep/core'
import { auth } from '../support/auth'
declare const options: AuthClientOptions
// ---cut---
createAuthClient({ ...options, login: { resource: 'https://api.example.com/' } })
auth.login({ resource: ['https://api.example.com/', 'https://billing.example.com/'] })
