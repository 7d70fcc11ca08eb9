import { describe, expect, it } from 'vitest';
import {
  createWebPreferences,
  guardWebContents,
  hardenSession,
  isAllowedRequestUrl,
  isTrustedSender,
  type SessionPort,
  type WebContentsPort,
} from '../../../src-main/electron/security-policy';
import { mainWindowOptions } from '../../../src-main/electron/window';
import { PRIVILEGED_SCHEMES } from '../../../src-main/electron/app-origin';

type Listener = (event: { preventDefault(): void }, url?: unknown) => void;

function fakeSession() {
  const state = {
    requestFilter: null as
      null | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    permissionRequest: null as
      null | ((wc: unknown, p: string, cb: (g: boolean) => void) => void),
    permissionCheck: null as null | ((wc: unknown, p: string) => boolean),
    willDownload: null as null | ((event: { preventDefault(): void }) => void),
  };
  const session: SessionPort = {
    webRequest: { onBeforeRequest: (listener) => void (state.requestFilter = listener) },
    setPermissionRequestHandler: (handler) => void (state.permissionRequest = handler),
    setPermissionCheckHandler: (handler) => void (state.permissionCheck = handler),
    on: (_event, listener) => void (state.willDownload = listener),
  };
  return { session, state };
}

function filterDecision(
  state: ReturnType<typeof fakeSession>['state'],
  url: string,
): boolean {
  let cancelled: boolean | null = null;
  state.requestFilter?.({ url }, (response) => (cancelled = response.cancel));
  return cancelled ?? false;
}

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  const contents: WebContentsPort = {
    on: (event, listener) => void listeners.set(event, listener),
    setWindowOpenHandler: (handler) => void (openHandler = handler),
  };
  const fire = (event: string, url: string) => {
    let isPrevented = false;
    listeners.get(event)?.({ preventDefault: () => (isPrevented = true) }, url);
    return isPrevented;
  };
  return { contents, fire, openWindow: (url: string) => openHandler?.({ url }) };
}

describe('the window webPreferences', () => {
  const preferences = mainWindowOptions('/app/preload.cjs').webPreferences;

  it('isolates the renderer context', () =>
    expect(preferences.contextIsolation).toBe(true));
  it('sandboxes the renderer', () => expect(preferences.sandbox).toBe(true));
  it('gives the renderer no Node integration', () => {
    expect(preferences.nodeIntegration).toBe(false);
    expect(preferences.nodeIntegrationInWorker).toBe(false);
    expect(preferences.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security on and refuses insecure content', () => {
    expect(preferences.webSecurity).toBe(true);
    expect(preferences.allowRunningInsecureContent).toBe(false);
  });
  it('disables the webview tag', () => expect(preferences.webviewTag).toBe(false));
  it('is the same object the preferences factory builds', () => {
    expect(preferences).toEqual(createWebPreferences('/app/preload.cjs'));
  });
});

describe('the custom schemes', () => {
  it('never lets a scheme bypass the Content-Security-Policy', () => {
    for (const entry of PRIVILEGED_SCHEMES) {
      expect(entry.privileges).not.toHaveProperty('bypassCSP');
    }
  });
});

describe('hardenSession', () => {
  it('cancels http, https, ws, ftp and file requests and counts them', () => {
    const { session, state } = fakeSession();
    const blocked: string[] = [];
    hardenSession(session, (url) => blocked.push(url));
    for (const url of [
      'https://example.org/x.js',
      'http://10.0.0.5/tile.jpeg',
      'ws://127.0.0.1:9222/',
      'ftp://files.example.org/a',
      'file:///etc/passwd',
      'app://evil.example/index.html',
    ]) {
      expect(filterDecision(state, url), url).toBe(true);
    }
    expect(blocked).toHaveLength(6);
  });

  it("lets the app's own schemes through", () => {
    const { session, state } = fakeSession();
    hardenSession(session, () => undefined);
    expect(filterDecision(state, 'app://cellvit/assets/index.js')).toBe(false);
    expect(filterDecision(state, 'cellvit-tile://tiles/1/10/0_0.jpeg')).toBe(false);
  });

  it('denies every permission request and check', () => {
    const { session, state } = fakeSession();
    hardenSession(session, () => undefined);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'usb',
    ]) {
      let granted: boolean | null = null;
      state.permissionRequest?.({}, permission, (value) => (granted = value));
      expect(granted, permission).toBe(false);
      expect(state.permissionCheck?.({}, permission), permission).toBe(false);
    }
  });

  it('cancels downloads', () => {
    const { session, state } = fakeSession();
    hardenSession(session, () => undefined);
    let isPrevented = false;
    state.willDownload?.({ preventDefault: () => (isPrevented = true) });
    expect(isPrevented).toBe(true);
  });
});

describe('isAllowedRequestUrl', () => {
  it('refuses an unparsable URL', () =>
    expect(isAllowedRequestUrl('not a url')).toBe(false));
});

describe('guardWebContents', () => {
  it('prevents navigation away from the app', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents);
    expect(fire('will-navigate', 'https://example.org/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
  });

  it('allows navigation inside the app', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents);
    expect(fire('will-navigate', 'app://cellvit/index.html#/slides/1')).toBe(false);
  });

  it('denies every new window', () => {
    const { contents, openWindow } = fakeContents();
    guardWebContents(contents);
    expect(openWindow('app://cellvit/index.html')).toEqual({ action: 'deny' });
    expect(openWindow('https://example.org/')).toEqual({ action: 'deny' });
  });

  it('refuses to attach a webview', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents);
    expect(fire('will-attach-webview', '')).toBe(true);
  });
});

describe('isTrustedSender', () => {
  it("accepts the app's own top-level frame", () => {
    expect(isTrustedSender({ url: 'app://cellvit/index.html', parent: null })).toBe(true);
  });

  it('refuses an iframe even on the app origin', () => {
    expect(isTrustedSender({ url: 'app://cellvit/x.html', parent: {} })).toBe(false);
  });

  it('refuses other origins, file pages and missing frames', () => {
    expect(isTrustedSender({ url: 'https://example.org/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});
