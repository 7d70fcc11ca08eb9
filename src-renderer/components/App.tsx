/** The application shell: header with the intended-use notice, then library or workspace. */
import { useState } from 'react';
import { useAppContext } from '../api/api-context';
import { IntendedUseNotice } from './IntendedUseNotice';
import { SlideLibrary } from './SlideLibrary';
import { Workspace } from './Workspace';

/** The whole UI. */
export function App() {
  const { appInfo } = useAppContext();
  const [openSlideId, setOpenSlideId] = useState<string | null>(null);
  return (
    <div className="app">
      <header className="app-header">
        <span className="app-name">CellViT-Optimus</span>
        <IntendedUseNotice
          bundle={appInfo.bundle}
          bundleError={appInfo.bundleError?.message ?? null}
        />
        <span className="muted">Offline · v{appInfo.appVersion}</span>
      </header>
      {openSlideId ? (
        <Workspace slideId={openSlideId} onBack={() => setOpenSlideId(null)} />
      ) : (
        <SlideLibrary onOpen={setOpenSlideId} />
      )}
    </div>
  );
}
