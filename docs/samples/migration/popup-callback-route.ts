declare const renderApp: () => void
// ---cut---
// src/index.ts(x) of a Create React App or webpack app: one bundle, no extra HTML entry.
// The popup's redirect URI is a path of the app (popupLogin({ redirectUri:
// `${location.origin}/popup-callback` })); there the page hands the answer to the opener
// and renders nothing, so the app never starts a client inside the popup.
import { handlePopupCallback } from '@tokenkeep/core'

if (location.pathname === '/popup-callback') {
  void handlePopupCallback()
} else {
  renderApp() // createRoot(...).render(<AuthProvider client={auth}>...)
}
