/** Creates the main window with the hardened preferences and opens the app page. */
import { APP_ENTRY_URL } from './app-origin';
import { createWebPreferences } from './security-policy';

/** The options `new BrowserWindow(...)` receives. */
export function mainWindowOptions(preloadPath: string) {
  return {
    width: 1600,
    height: 1000,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#1e1e1e',
    title: 'CellViT-Optimus',
    webPreferences: createWebPreferences(preloadPath),
  };
}

/** The part of a `BrowserWindow` the shell drives. */
export interface WindowPort {
  once(event: 'ready-to-show', listener: () => void): void;
  show(): void;
  loadURL(url: string): Promise<void>;
}

/** Shows the window when its first frame is ready and loads the app. */
export async function openAppPage(window: WindowPort): Promise<void> {
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY_URL);
}
