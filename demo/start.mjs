// `npm run demo`: the dev OpenID Provider and the demo app, one command, loopback only.
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { differFromEnv, startProvider } from './op/provider.mjs'

const host = '127.0.0.1'
const opPort = Number(process.env.TK_OP_PORT ?? 9080)
const appPort = Number(process.env.TK_DEMO_PORT ?? 5173)
// The provider registers both the localhost and the 127.0.0.1 spelling of this origin. The URL we
// print is 127.0.0.1: the same site as the provider, so its session cookie reaches the silent
// renewal iframe (from localhost it is a third-party cookie, which browsers block).
const appOrigins = [`http://${host}:${appPort}`]

/** A port that is taken or not ours to use: one line naming the variable that moves it, no stack trace. */
function portProblem(error, what, port, variable) {
  if (error?.code !== 'EADDRINUSE' && error?.code !== 'EACCES') throw error
  const why = error.code === 'EADDRINUSE' ? 'is already in use' : 'may not be used by this user'
  console.error(`\n  tokenkeep demo: port ${port} on ${host} (${what}) ${why}.`)
  console.error(`  Stop whatever holds it, or pick another port: ${variable}=<port> npm run demo\n`)
  process.exit(1)
}

let op
try {
  op = await startProvider({
    host,
    port: opPort,
    clientOrigins: appOrigins,
    requirePar: process.env.TK_OP_REQUIRE_PAR === '1',
    dpop: { requireNonce: process.env.TK_OP_DPOP_NONCE === '1' },
    // TK_REFRESH_TOKENS=0: a provider that gives the app no refresh token (try it with ?silent=1).
    issueRefreshTokens: process.env.TK_REFRESH_TOKENS !== '0',
    // TK_OP_DIFFER=discoveryPath,hideRevocation,...: a provider that bends the standard (try ?provider=...).
    differ: differFromEnv(process.env.TK_OP_DIFFER),
  })
} catch (error) {
  portProblem(error, 'the dev OpenID Provider', opPort, 'TK_OP_PORT')
}
process.env.TK_ISSUER = op.issuer

let app
try {
  app = await createServer({
    configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
    // Vite's own message for a busy port names neither variable: we say it once, below.
    logLevel: 'warn',
    server: { host, port: appPort, strictPort: true },
  })
  await app.listen()
} catch (error) {
  await op.close()
  // Vite reports a busy strictPort as a plain Error ("Port 5173 is already in use").
  const busy = error?.code === 'EADDRINUSE' || /port \d+ is already in use/i.test(String(error?.message))
  portProblem(busy ? Object.assign(error, { code: 'EADDRINUSE' }) : error, 'the demo app', appPort, 'TK_DEMO_PORT')
}

console.log(`
  tokenkeep demo
  ──────────────
  Open http://${host}:${appPort} — log in with any username/password (e.g. alice / secret).

  App:               http://${host}:${appPort}/   (or http://localhost:${appPort}/)
  React demo:        http://${host}:${appPort}/react.html   (@tokenkeep/react: AuthProvider, useAuth, RequireAuth)
  Vue demo:          http://${host}:${appPort}/vue.html     (@tokenkeep/vue: plugin, useAuth, router guard)
  OpenID Provider:   ${op.issuer}   (discovery: ${op.issuer}/.well-known/openid-configuration)
  Access tokens live ${process.env.TK_ACCESS_TOKEN_TTL ?? 3600} s (set TK_ACCESS_TOKEN_TTL=60 to watch them renew).
  Refresh tokens: ${process.env.TK_REFRESH_TOKENS === '0' ? 'none (open the app with ?silent=1 for silent renewal)' : 'issued (TK_REFRESH_TOKENS=0 to turn them off)'}.

  Press Ctrl-C to stop.
`)

let stopping = false
const stop = async () => {
  // A second Ctrl-C, or a close that hangs on a kept-alive connection, still ends the process.
  if (stopping) process.exit(130)
  stopping = true
  setTimeout(() => process.exit(0), 3000).unref()
  await app.close()
  await op.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
