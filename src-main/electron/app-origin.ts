/**
 * The origins the Electron renderer is allowed to have and to reach. The app's own
 * pages come from `app://cellvit/`, slide tiles from `cellvit-tile://`; nothing is
 * ever loaded from `file://` or the network.
 */
import { TILE_SCHEME } from '../ipc/content-security-policy';

export { TILE_SCHEME };

/** Scheme of the app's own assets. */
export const APP_SCHEME = 'app';

/** Host of the app's own assets (a standard scheme needs one). */
export const APP_HOST = 'cellvit';

/** Origin of every page of the app. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The page the window opens. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Privileges of the custom schemes (for `protocol.registerSchemesAsPrivileged`,
 * before `app` is ready). Standard + secure gives each a real origin so CSP
 * `'self'` and CORS apply; neither may bypass CSP.
 */
export const PRIVILEGED_SCHEMES = [
  {
    scheme: APP_SCHEME,
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: true,
    },
  },
  {
    scheme: TILE_SCHEME,
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: true,
    },
  },
] as const;

/** Whether `url` is a page or asset of the app itself. */
export function isAppUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}
