/**
 * The Electron security configuration as plain functions over the few Electron APIs
 * they touch, so tests run them under Node against fakes and `main.ts` only wires
 * them to the real objects. Each rule states its reason: the workstation is
 * air-gapped, handles patient data, and the renderer must be treated as untrusted.
 */
import { APP_SCHEME, TILE_SCHEME, isAppUrl } from './app-origin';

/** The renderer's `webPreferences`: isolated, sandboxed, no Node, web security on. */
export function createWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  } as const;
}

/** Schemes the renderer may request; everything else (http, https, ws, ftp, file...) is cancelled. */
const ALLOWED_SCHEMES = new Set([
  `${APP_SCHEME}:`,
  `${TILE_SCHEME}:`,
  'data:',
  'blob:',
  'devtools:',
]);

/** Whether a request from the renderer may proceed. */
export function isAllowedRequestUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const protocol = new URL(url).protocol;
  if (protocol === `${APP_SCHEME}:`) return isAppUrl(url);
  return ALLOWED_SCHEMES.has(protocol);
}

/** The part of `Electron.Session` the hardening uses. */
export interface SessionPort {
  webRequest: {
    onBeforeRequest(
      listener: (
        details: { url: string },
        callback: (response: { cancel: boolean }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string) => boolean,
  ): void;
  on(event: 'will-download', listener: (event: { preventDefault(): void }) => void): void;
}

/** Counts what the request filter refused (shown in `app:info`). */
export interface BlockedRequestCounter {
  count: number;
}

/**
 * Cancels every request to a scheme that is not the app's own, denies every permission
 * (camera, geolocation, notifications, USB...) and every download.
 */
export function hardenSession(
  session: SessionPort,
  onBlocked: (url: string) => void,
): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const isAllowed = isAllowedRequestUrl(details.url);
    if (!isAllowed) onBlocked(details.url);
    callback({ cancel: !isAllowed });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) =>
    callback(false),
  );
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

/** The part of `Electron.WebContents` the navigation guard uses. */
export interface WebContentsPort {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-attach-webview',
    listener: (event: { preventDefault(): void }, url?: unknown) => void,
  ): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Keeps every window on the app: navigation away from `app://cellvit` is prevented,
 * new windows are denied and `<webview>` cannot be attached.
 */
export function guardWebContents(contents: WebContentsPort): void {
  const stayOnApp = (event: { preventDefault(): void }, url?: unknown) => {
    if (typeof url !== 'string' || !isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnApp);
  contents.on('will-redirect', stayOnApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The sending frame of an IPC call, as far as the sender check needs it. */
export interface SenderFramePort {
  url: string;
  parent: unknown;
}

/** Only the app's own top-level frame may call IPC; iframes and other origins may not. */
export function isTrustedSender(frame: SenderFramePort | null | undefined): boolean {
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url);
}
