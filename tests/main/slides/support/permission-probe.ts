/**
 * Run as a child process by the permission test: drops root privileges to
 * `nobody`, then opens the slide given as argument and prints the error code.
 */
import { openSlide } from '../../../../src-main/slides/open-slide';

const NOBODY_UID = 65534;
const slidePath = process.argv[2] ?? '';
// Root ignores file modes: become `nobody` so the mode-000 file is really unreadable.
if (process.getuid?.() === 0) {
  process.setgid?.(NOBODY_UID);
  process.setuid?.(NOBODY_UID);
}
try {
  await openSlide(slidePath, { reader: 'pure-js', useCache: false });
  process.stdout.write('OPENED\n');
} catch (error) {
  process.stdout.write(`${String((error as { code?: unknown }).code)}\n`);
}
