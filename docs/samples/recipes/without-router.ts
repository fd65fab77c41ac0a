declare function renderOrders(): void
// ---cut---
import { auth } from './auth'

await auth.start() // restores the session or finishes the redirect; never throws

const { status, error } = auth.getSnapshot()
if (status === 'authenticated') renderOrders()
else if (error === null || error.code === 'ERR_SESSION_EXPIRED') await auth.login() // back here after
else document.body.textContent = `Sign-in failed: ${error.message}` // no login loop on a refusal
