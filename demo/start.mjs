// `npm run demo`: the dev OpenID Provider and the demo app, one command, loopback only.
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { startProvider } from './op/provider.mjs'

const host = '127.0.0.1'
const opPort = Number(process.env.TK_OP_PORT ?? 9080)
const appPort = Number(process.env.TK_DEMO_PORT ?? 5173)
// The provider registers both the localhost and the 127.0.0.1 spelling of this origin. The URL we
// print is 127.0.0.1: the same site as the provider, so its session cookie reaches the silent
// renewal iframe (from localhost it is a third-party cookie, which browsers block).
const appOrigins = [`http://${host}:${appPort}`]

const op = await startProvider({
  host,
  port: opPort,
  clientOrigins: appOrigins,
  requirePar: process.env.TK_OP_REQUIRE_PAR === '1',
  dpop: { requireNonce: process.env.TK_OP_DPOP_NONCE === '1' },
  // TK_REFRESH_TOKENS=0: a provider that gives the app no refresh token (try it with ?silent=1).
  issueRefreshTokens: process.env.TK_REFRESH_TOKENS !== '0',
})
process.env.TK_ISSUER = op.issuer

const app = await createServer({
  configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
  server: { host, port: appPort, strictPort: true },
})
await app.listen()

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
