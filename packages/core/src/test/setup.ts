// Unit-test setup: happy-dom provides window, storage and history; IndexedDB comes from fake-indexeddb.
import 'fake-indexeddb/auto'

// happy-dom's URL subclasses Node's but inherits Node's static URL.parse, which returns a Node URL
// that fails `instanceof URL` (oauth4webapi's resource requests check it). Browsers have one URL.
if (typeof URL.parse === 'function' && !(URL.parse('https://x.example') instanceof URL)) {
  URL.parse = (url: string | URL, base?: string | URL) => {
    try {
      return new URL(url, base)
    } catch {
      return null
    }
  }
}

// Protocol modules borrow the start path's values (protocol/kit.ts); createProtocol installs them
// when the protocol loads. Unit tests that build protocol parts directly need them installed too.
import { installKit } from '../protocol/kit'
import { kit } from '../start/loader'
installKit(kit)
