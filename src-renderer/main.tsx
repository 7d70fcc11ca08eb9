/**
 * Renderer entry: picks the transport, reads the app info, then mounts the UI. A
 * failure before the UI exists is shown in the page, never swallowed.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi, describeError } from './api/api-client';
import { AppContext } from './api/api-context';
import { pickTransport } from './api/transport';
import { App } from './components/App';
import './styles.css';

function showStartupFailure(root: HTMLElement, message: string): void {
  const paragraph = document.createElement('p');
  paragraph.setAttribute('role', 'alert');
  paragraph.className = 'startup-error';
  paragraph.textContent = `The app could not start: ${message}`;
  root.replaceChildren(paragraph);
}

async function start(root: HTMLElement): Promise<void> {
  const transport = pickTransport(window, window.location.href);
  const api = createApi(transport.invoke);
  const appInfo = await api.call('app:info', {});
  api.log('info', 'renderer.started', { transport: transport.kind });
  createRoot(root).render(
    <StrictMode>
      <AppContext.Provider value={{ api, appInfo }}>
        <App />
      </AppContext.Provider>
    </StrictMode>,
  );
}

const rootElement = document.getElementById('root');
if (rootElement) {
  start(rootElement).catch((error: unknown) =>
    showStartupFailure(rootElement, describeError(error)),
  );
}
