// The popup's landing page loads only this function: no client, no token.
import { handlePopupCallback } from '@tokenkeep/core'

void handlePopupCallback()
