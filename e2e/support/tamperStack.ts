// The negative suite's own stack: the dev provider listening on a private port, the tampering
// proxy at the provider's public address (the issuer), and a build of the demo app pointed at
// that issuer. The provider signs with a key this module made, so altered ID tokens can be
// re-signed and stay valid apart from the one thing a test breaks.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { SignJWT, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
// @ts-expect-error plain ESM module without types
import { CLIENT_ID, freePort, startProvider } from '../../demo/op/provider.mjs'
import { serveDemo } from './demoApp'
import { startTamperingProxy, type TamperingProxy } from './tamperingProxy'

export interface TamperStack {
  readonly issuer: string
  readonly appUrl: string
  readonly clientId: string
  readonly proxy: TamperingProxy
  /** Re-signs `idToken` after `edit` changed its claims or header, with the provider's own key. */
  resign(idToken: string, edit: (claims: JWTPayload, header: Record<string, unknown>) => void): Promise<string>
  close(): Promise<void>
}

export async function startTamperStack(options: { rotateRefreshToken?: boolean } = {}): Promise<TamperStack> {
  const host = '127.0.0.1'
  const [opPort, proxyPort, appPort] = [await freePort(host), await freePort(host), await freePort(host)]
  const issuer = `http://${host}:${proxyPort}`
  const appUrl = `http://${host}:${appPort}`

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'tamper-rs256', use: 'sig', alg: 'RS256' }
  const op = await startProvider({ host, port: opPort, issuer, signingKey, clientOrigins: [appUrl], quiet: true, ...options })
  const proxy = await startTamperingProxy({ host, port: proxyPort, target: { host, port: opPort } })

  const app = await serveDemo(issuer, appUrl)

  return {
    issuer,
    appUrl,
    clientId: CLIENT_ID as string,
    proxy,
    resign: (idToken, edit) => resign(privateKey, idToken, edit),
    async close() {
      await app.close()
      await proxy.close()
      await op.close()
    },
  }
}

async function resign(key: KeyObject, idToken: string, edit: (claims: JWTPayload, header: Record<string, unknown>) => void): Promise<string> {
  const claims = decodeJwt(idToken)
  const header: Record<string, unknown> = { ...decodeProtectedHeader(idToken) }
  edit(claims, header)
  if (header.alg === 'none') {
    // jose will not make an unsecured JWT (rightly); an attacker would, by hand.
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    return `${part(header)}.${part(claims)}.`
  }
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key)
}
