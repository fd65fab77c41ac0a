// The kit (protocol/kit.ts) is installed by createProtocol, after the protocol chunk's modules have
// loaded. In the unit tests' shared module graph it is installed up front (test/setup.ts), which
// would hide a protocol module that reads a kit value while it loads (at its top level): here the
// client and the protocol are imported fresh, in the order a browser runs them.
import { describe, expect, it, vi } from 'vitest'
import { ISSUER } from '../test/fakeProvider'
import { assigned, op, useFakeProvider } from '../test/harness'

const { options } = useFakeProvider()
const SLASHED = '/.well-known/openid-configuration/'

async function freshClient() {
  vi.resetModules()
  const kit = await import('./kit')
  // A new module graph: nothing installed yet, as when the protocol chunk arrives in a page.
  expect(kit.AuthError).toBeUndefined()
  return (await import('../client')).createAuthClient
}

describe('the kit, installed after the protocol loaded', () => {
  it('a redirect login and its callback work', async () => {
    const createAuthClient = await freshClient()
    await createAuthClient(options()).login()
    history.replaceState(null, '', op.authorize(assigned.pop()!))
    const auth = createAuthClient(options())
    await auth.start()
    expect(auth.getSnapshot()).toMatchObject({ status: 'authenticated', error: null })
    auth.stop()
  })

  it('the provider option and its discovery errors work (their checks borrow the kit)', async () => {
    const doc = await (await op.fetch(`${ISSUER}/.well-known/openid-configuration`)).json()
    op.override('/.well-known/openid-configuration', () => new Response(null, { status: 301, headers: { location: SLASHED } }))
    op.override(SLASHED, () => Response.json(doc))
    const createAuthClient = await freshClient()
    await expect(createAuthClient(options({ provider: { metadataUrl: 'http://id.example.com/x' } })).login()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await createAuthClient(options({ provider: { metadataUrl: `${ISSUER}${SLASHED}` } })).login()
    expect(assigned).toHaveLength(1)
    await expect(createAuthClient(options()).login()).rejects.toMatchObject({ code: 'ERR_DISCOVERY', message: expect.stringContaining('provider.metadataUrl') })
  })
})
