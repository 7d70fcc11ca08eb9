/**
 * Adds slides by reference (files are never copied): the native dialog in the
 * desktop app, a path field in the browser demo, and dropping files where the
 * platform exposes their paths.
 */
import { useState, type DragEvent, type FormEvent } from 'react';
import type { Api } from '../api/api-client';
import { useAppContext } from '../api/api-context';
import { describeError } from '../api/api-client';

/** Paths of dropped files, when the platform gives them (older Electron); else none. */
function droppedPaths(event: DragEvent): string[] {
  return [...event.dataTransfer.files]
    .map((file) => Reflect.get(file, 'path') as unknown)
    .filter((path): path is string => typeof path === 'string' && path.length > 0);
}

/** Adds paths and says what happened, in words. */
async function addPaths(api: Api, paths: string[]): Promise<string> {
  try {
    const result = await api.call('slides:add', { paths });
    const failures = result.failed.map((entry) => entry.error.message);
    return (
      `${result.added.length} added.` +
      (failures.length ? ` Not added: ${failures.join(' ')}` : '')
    );
  } catch (error) {
    return `Could not add: ${describeError(error)}`;
  }
}

function PathForm(props: { onPaths: (paths: string[]) => void }) {
  const [pathText, setPathText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const paths = pathText
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (paths.length > 0) props.onPaths(paths);
  };
  return (
    <form onSubmit={submit} className="add-slides-form">
      <label htmlFor="slide-path">Slide path on this workstation (one per line)</label>
      <textarea
        id="slide-path"
        rows={2}
        value={pathText}
        onChange={(event) => setPathText(event.target.value)}
      />
      <button type="submit">Add</button>
    </form>
  );
}

/** The add-slides controls; `onAdded` reloads the library. */
export function AddSlidesForm(props: { onAdded: () => void }) {
  const { api, appInfo } = useAppContext();
  const [message, setMessage] = useState<string | null>(null);
  const { onAdded } = props;

  const add = (paths: string[]) =>
    void addPaths(api, paths).then((text) => {
      setMessage(text);
      onAdded();
    });
  const choose = () =>
    void api.call('slides:choose', {}).then(
      (result) => (result.isCancelled ? undefined : onAdded()),
      (error: unknown) =>
        setMessage(`Could not open the file dialog: ${describeError(error)}`),
    );
  const drop = (event: DragEvent) => {
    event.preventDefault();
    const paths = droppedPaths(event);
    if (paths.length > 0) add(paths);
    else
      setMessage(
        'This window cannot see where dropped files live; type their paths instead.',
      );
  };

  return (
    <section
      className="add-slides"
      aria-label="Add slides"
      onDragOver={(event) => event.preventDefault()}
      onDrop={drop}
    >
      {appInfo.transport === 'electron' ? (
        <button type="button" onClick={choose}>
          Add slides…
        </button>
      ) : (
        <PathForm onPaths={add} />
      )}
      <p className="muted">Slides are referenced where they are; nothing is copied.</p>
      {message ? <p role="status">{message}</p> : null}
    </section>
  );
}
