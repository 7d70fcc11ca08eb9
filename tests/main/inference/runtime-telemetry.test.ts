import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isRuntimeTelemetryDisabled } from '../../../src-main/inference/runtime-telemetry';

const CHILD = fileURLToPath(new URL('./support/create-engine.ts', import.meta.url));
const homes: string[] = [];

/**
 * Variables by which ONNX Runtime recognises a CI machine and stays silent there;
 * the child runs without them, so that only the app's own setting is tested.
 */
const CI_VARIABLES = [
  'CI',
  'TF_BUILD',
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'CIRCLECI',
  'TRAVIS',
  'JENKINS_URL',
  'CODEBUILD_BUILD_ID',
  'BUILDKITE',
  'TEAMCITY_VERSION',
  'APPVEYOR',
  'BITBUCKET_BUILD_NUMBER',
];

/** Creates a session in a child process whose home folder is empty; returns its traces. */
function sessionTraces(mode: 'app' | 'bare') {
  const home = mkdtempSync(path.join(tmpdir(), 'cellvit-home-'));
  homes.push(home);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const name of ['ORT_DISABLE_TELEMETRY', ...CI_VARIABLES]) delete env[name];

  const pid = execFileSync(process.execPath, ['--import', 'tsx', CHILD, mode], {
    env,
    encoding: 'utf8',
  });
  const traceFile = `/tmp/mat-debug-${pid}.log`;
  const traces = {
    hasTelemetryFolder: existsSync(path.join(home, '.cache', 'Microsoft')),
    hasTraceFile: existsSync(traceFile),
  };
  rmSync(traceFile, { force: true });
  return traces;
}

afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('ONNX Runtime telemetry', () => {
  it('is turned off once the inference modules are loaded', () => {
    expect(isRuntimeTelemetryDisabled()).toBe(true);
  });

  it('leaves no device identifier, event queue or trace file when the app runs a model', () => {
    expect(sessionTraces('app')).toEqual({
      hasTelemetryFolder: false,
      hasTraceFile: false,
    });
  });

  it.runIf(process.platform === 'linux')(
    'would write them for a session created without the app (so the check above can fail)',
    () => {
      expect(sessionTraces('bare').hasTelemetryFolder).toBe(true);
    },
  );
});
