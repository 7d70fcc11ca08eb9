/** Makes the {@link Api} and the app info available to every component. */
import { createContext, useContext } from 'react';
import type { IpcResponse } from '../../src-shared/ipc-contract';
import type { Api } from './api-client';

/** What every component can read. */
export interface AppContextValue {
  api: Api;
  appInfo: IpcResponse<'app:info'>;
}

export const AppContext = createContext<AppContextValue | null>(null);

/** The app context; throws when used outside the provider (a programming error). */
export function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useAppContext must be used inside <AppContext.Provider>.');
  return value;
}
