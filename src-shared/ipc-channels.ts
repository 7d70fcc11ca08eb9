/**
 * The names of the IPC channels, with no schema attached, so the sandboxed preload
 * script can allow exactly these without bundling the schemas. `ipc-contract.ts`
 * checks at compile time that this list and the contract name the same channels.
 */
export const IPC_CHANNEL_NAMES = [
  'app:info',
  'files:browse',
  'slides:list',
  'slides:add',
  'slides:choose',
  'slides:remove',
  'slides:info',
  'slides:thumbnail',
  'slides:associated-image',
  'analysis:start',
  'analysis:cancel',
  'analysis:progress',
  'analysis:list',
  'analysis:summary',
  'nuclei:viewport',
  'nuclei:at',
  'uncertainty:grid',
  'rois:list',
  'rois:review',
  'review:record',
  'audit:list',
  'settings:get',
  'settings:set',
  'log:write',
] as const;

/** One channel name. */
export type IpcChannelName = (typeof IPC_CHANNEL_NAMES)[number];

/** Whether `value` is one of {@link IPC_CHANNEL_NAMES}. */
export function isIpcChannelName(value: unknown): value is IpcChannelName {
  return (
    typeof value === 'string' && (IPC_CHANNEL_NAMES as readonly string[]).includes(value)
  );
}

/** The global name of the bridge in the renderer (`window.cellvit`). */
export const BRIDGE_GLOBAL_NAME = 'cellvit';
