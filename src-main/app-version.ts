/**
 * The app's version, recorded with each analysis and printed by `--version`. It
 * must equal `package.json`'s (a test checks it), which Electron reports as the
 * app's version.
 */
export const APP_VERSION = '0.1.0';
