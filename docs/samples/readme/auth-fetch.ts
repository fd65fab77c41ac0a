import { auth } from '../support/auth'
declare const body: string
// ---cut---
import { createAuthFetch } from '@tokenkeep/core'

const api = createAuthFetch(auth, { allowedOrigins: ['https://api.example.com'] })
const orders = await (await api('https://api.example.com/orders')).json()   // token attached
await api('/profile', { method: 'PUT', body })                              // same origin: attached
await api('https://cdn.example.net/logo.png')                               // anywhere else: not
