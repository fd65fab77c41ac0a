import { auth } from '../support/auth'
declare const body: string
// ---cut---
const url = 'https://api.example.com/orders'
const send = async () => fetch(url, { method: 'POST', body, headers: { ...(await auth.getAuthHeaders(url, { method: 'POST' })), 'content-type': 'application/json' } })
let res = await send()
if (auth.handleDPoPNonce(url, res)) res = await send() // the API asked for its nonce: once more
