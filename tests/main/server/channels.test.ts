/**
 * Every channel of the contract through the real loopback transport, the real
 * handlers, a temp SQLite store, the real CMU-1 slide and one small real analysis:
 * one accepted payload (whose answer must match the contract's response schema) and
 * one rejected payload per channel.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors';
import { IPC_CHANNEL_NAMES } from '../../../src-shared/ipc-channels';
import { IPC_CONTRACT, type IpcChannel } from '../../../src-shared/ipc-contract';
import { readAllNuclei } from '../../../src-main/analysis/stored-nuclei';
import { describeWithData, sharedSlide } from '../../support/shared-data';
import { startHarness, type Harness } from './loopback-harness';

let h: Harness;
const tested = new Set<string>();

/** Calls a channel and checks the answer against the contract's response schema. */
async function accepted<C extends IpcChannel>(channel: C, request: unknown) {
  tested.add(`${channel}:valid`);
  const result = await h.invoke(channel, request as never);
  if (!result.ok)
    throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  const parsed = IPC_CONTRACT[channel].response.safeParse(result.value);
  expect(parsed.success, `${channel} response matches the contract`).toBe(true);
  return result.value;
}

async function rejected(channel: IpcChannel, request: unknown): Promise<void> {
  tested.add(`${channel}:invalid`);
  const result = (await h.invoke(channel, request as never)) as Result<unknown>;
  expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
}

async function failure(channel: IpcChannel, request: unknown): Promise<string> {
  const result = (await h.invoke(channel, request as never)) as Result<unknown>;
  if (result.ok) throw new Error(`${channel} was expected to fail`);
  return result.error.code;
}

describeWithData('every IPC channel over the loopback transport', () => {
  beforeAll(async () => {
    h = await startHarness({ withAnalysis: true });
  });
  afterAll(async () => h?.close());

  describe('app and settings', () => {
    it('app:info names the bundle, its intended use and the tile URL form', async () => {
      const info = await accepted('app:info', {});
      expect(info.bundle?.intendedUse).toBe('pre-triage');
      expect(info.tiles.urlPrefix).toBe('/tiles/');
    });
    it('app:info refuses unknown keys', () => rejected('app:info', { debug: true }));

    it('settings:get hides label and macro images by default', async () => {
      const settings = await accepted('settings:get', {});
      expect([settings.showLabelImage, settings.showMacroImage]).toEqual([false, false]);
    });
    it('settings:get refuses unknown keys', () => rejected('settings:get', { all: 1 }));

    it('settings:set changes one setting and keeps the others', async () => {
      const settings = await accepted('settings:set', { overlayOpacity: 0.4 });
      expect(settings.overlayOpacity).toBe(0.4);
      expect(settings.showLabelImage).toBe(false);
    });
    it('settings:set refuses a value of the wrong type', () =>
      rejected('settings:set', { showLabelImage: 'yes' }));

    it('log:write passes a renderer log line to the logger', async () => {
      const answer = await accepted('log:write', {
        level: 'info',
        event: 'viewer.opened',
        fields: { zoom: 2 },
      });
      expect(answer.isWritten).toBe(true);
    });
    it('log:write refuses an event name that is not dotted lower case', () =>
      rejected('log:write', { level: 'info', event: 'Patient Smith opened' }));
  });

  describe('files and slides', () => {
    it('files:browse lists the allowed roots when no folder is given', async () => {
      const listing = await accepted('files:browse', { dirPath: null });
      expect(listing.entries.length).toBeGreaterThan(0);
    });
    it('files:browse refuses a folder outside the roots', async () => {
      expect(await failure('files:browse', { dirPath: '/etc' })).toBe(
        'PATH_OUTSIDE_ROOT',
      );
    });
    it('files:browse refuses a path that is not a string', () =>
      rejected('files:browse', { dirPath: 7 }));

    it('slides:add references a slide inside a root', async () => {
      const answer = await accepted('slides:add', {
        paths: [sharedSlide('CMU-1-Small-Region.svs')],
      });
      expect(answer.added[0]?.format).toBe('aperio-svs');
    });
    it('slides:add reports a path outside the roots as failed', async () => {
      const answer = await accepted('slides:add', { paths: ['/etc/passwd'] });
      expect(answer.failed[0]?.error.code).toBe('PATH_OUTSIDE_ROOT');
    });
    it('slides:add refuses an empty list', () => rejected('slides:add', { paths: [] }));

    it('slides:choose says the dialog exists only in the desktop app', async () => {
      tested.add('slides:choose:valid');
      expect(await failure('slides:choose', {})).toBe('INVALID_PAYLOAD');
    });
    it('slides:choose refuses unknown keys', () =>
      rejected('slides:choose', { path: '/' }));

    it('slides:list lists the analysed slide with its calibration', async () => {
      const slides = await accepted('slides:list', {});
      expect(slides.find((s) => s.slideId === h.slideId)?.mpp?.x).toBeCloseTo(0.499, 3);
    });
    it('slides:list refuses unknown keys', () => rejected('slides:list', { limit: 5 }));

    it('slides:info gives the pyramid and the Deep Zoom geometry', async () => {
      const details = await accepted('slides:info', { slideId: h.slideId });
      expect(details.deepZoom.maxLevel).toBe(12);
      expect(details.levels[0]?.widthPx).toBe(2220);
    });
    it('slides:info refuses an id that could escape a path', () =>
      rejected('slides:info', { slideId: '../1' }));

    it('slides:thumbnail returns JPEG bytes as an ArrayBuffer', async () => {
      const thumbnail = await accepted('slides:thumbnail', {
        slideId: h.slideId,
        maxEdgePx: 256,
      });
      expect([...new Uint8Array(thumbnail.image, 0, 2)]).toEqual([0xff, 0xd8]);
      expect(Math.max(thumbnail.widthPx, thumbnail.heightPx)).toBeLessThanOrEqual(256);
    });
    it('slides:thumbnail refuses an oversized edge', () =>
      rejected('slides:thumbnail', { slideId: h.slideId, maxEdgePx: 100_000 }));

    it('slides:associated-image hides the label by default', async () => {
      tested.add('slides:associated-image:valid');
      const code = await failure('slides:associated-image', {
        slideId: h.slideId,
        name: 'label',
      });
      expect(['ASSOCIATED_IMAGE_HIDDEN', 'INVALID_PAYLOAD']).toContain(code);
    });
    it('slides:associated-image refuses an empty name', () =>
      rejected('slides:associated-image', { slideId: h.slideId, name: '' }));

    it('slides:remove removes a slide without reviews and leaves the file', async () => {
      const { added } = await accepted('slides:add', {
        paths: [sharedSlide('CMU-1-Small-Region.pyramid.jpeg.tif')],
      });
      const slideId = added[0]?.slideId ?? '';
      expect(await accepted('slides:remove', { slideId })).toEqual({ slideId });
      const slides = await accepted('slides:list', {});
      expect(slides.some((s) => s.slideId === slideId)).toBe(false);
    });
    it('slides:remove refuses a malformed id', () =>
      rejected('slides:remove', { slideId: '1/../2' }));
  });

  describe('analysis', () => {
    it('analysis:list lists the stored analysis', async () => {
      const analyses = await accepted('analysis:list', { slideId: h.slideId });
      expect(analyses.map((a) => a.analysisId)).toContain(h.analysisId);
    });
    it('analysis:list refuses a missing slide id', () => rejected('analysis:list', {}));

    it('analysis:summary gives the slide verdict with its reasons', async () => {
      const summary = await accepted('analysis:summary', { analysisId: h.analysisId });
      expect(summary.status).toBe('done');
      expect(summary.verdict).not.toBeNull();
      expect(summary.reasons.length).toBeGreaterThan(0);
    });
    it('analysis:summary refuses a numeric id', () =>
      rejected('analysis:summary', { analysisId: 1 }));

    it('analysis:start runs the job in a worker process and analysis:cancel stops it', async () => {
      const started = await accepted('analysis:start', { slideId: h.slideId });
      expect(['queued', 'running']).toContain(started.status);
      const cancelled = await accepted('analysis:cancel', { jobId: started.jobId });
      expect(cancelled.status).toBe('cancelled');
      const progress = await accepted('analysis:progress', { jobId: started.jobId });
      expect(progress.jobId).toBe(started.jobId);
    });
    it('analysis:start refuses an implausible user mpp', () =>
      rejected('analysis:start', { slideId: h.slideId, mppOverride: { mppX: 100 } }));
    it('analysis:cancel refuses a malformed job id', () =>
      rejected('analysis:cancel', { jobId: 'a/b' }));
    it('analysis:progress refuses a missing job id', () =>
      rejected('analysis:progress', {}));
    it('analysis:progress says ANALYSIS_NOT_FOUND for an unknown job', async () => {
      expect(await failure('analysis:progress', { jobId: 'nosuchjob' })).toBe(
        'ANALYSIS_NOT_FOUND',
      );
    });
  });

  describe('results', () => {
    const viewportBase = { x: 900, y: 900, width: 300, height: 300 };

    it('nuclei:viewport sends raw nuclei chunks when zoomed in', async () => {
      const answer = await accepted('nuclei:viewport', {
        analysisId: h.analysisId,
        viewportBase,
        basePerScreenPx: 1,
      });
      expect(answer.kind).toBe('nuclei');
    });
    it('nuclei:viewport sends per-tile counts when zoomed out', async () => {
      const answer = await accepted('nuclei:viewport', {
        analysisId: h.analysisId,
        viewportBase,
        basePerScreenPx: 16,
      });
      expect(answer.kind).toBe('density');
    });
    it('nuclei:viewport refuses a rectangle with a negative size', () =>
      rejected('nuclei:viewport', {
        analysisId: h.analysisId,
        viewportBase: { ...viewportBase, width: -1 },
        basePerScreenPx: 1,
      }));

    it('nuclei:at answers a nucleus or null for a point', async () => {
      const answer = await accepted('nuclei:at', {
        analysisId: h.analysisId,
        pointBase: { x: 1000, y: 1000 },
      });
      expect(answer === null || answer.contourBase.length > 2).toBe(true);
    });
    it("nuclei:at gives a stored nucleus its type and the triage's prediction set", async () => {
      const [first] = readAllNuclei(h.services.store, Number(h.analysisId));
      const answer = await accepted('nuclei:at', {
        analysisId: h.analysisId,
        pointBase: { x: first!.centroidBaseX, y: first!.centroidBaseY },
      });
      const probabilities = answer!.classProbabilities!;
      const mostProbable = probabilities.indexOf(Math.max(...probabilities));
      // Cold-start sets are marginal and ordered: the most probable class comes first.
      expect(answer!.predictionSet![0]).toBe(mostProbable);
      expect(
        answer!.predictionSet!.every((c) => c >= 1 && c < probabilities.length),
      ).toBe(true);
    });
    it('nuclei:at refuses a point that is not finite', () =>
      rejected('nuclei:at', { analysisId: h.analysisId, pointBase: { x: 'NaN', y: 0 } }));

    it('uncertainty:grid sends a Float32 grid of rows times columns', async () => {
      const grid = await accepted('uncertainty:grid', {
        analysisId: h.analysisId,
        layer: 'verdict',
      });
      expect(grid.values.byteLength).toBe(grid.cols * grid.rows * 4);
    });
    it('uncertainty:grid refuses an unknown layer', () =>
      rejected('uncertainty:grid', { analysisId: h.analysisId, layer: 'epistemic-ish' }));

    it('rois:list returns the ranked worklist', async () => {
      const rois = await accepted('rois:list', { analysisId: h.analysisId });
      expect(rois.map((roi) => roi.rank)).toEqual(
        [...rois.map((roi) => roi.rank)].sort((a, b) => a - b),
      );
    });
    it('rois:list refuses a missing analysis id', () => rejected('rois:list', {}));
  });

  describe('reviews and audit', () => {
    it('rois:review records a decision on a region under the OS user', async () => {
      const rois = await accepted('rois:list', { analysisId: h.analysisId });
      if (rois[0]) {
        const roi = await accepted('rois:review', {
          roiId: rois[0].roiId,
          decision: 'agree',
          comment: 'ok',
        });
        expect(roi.review).toMatchObject({
          status: 'agree',
          reviewer: os.userInfo().username,
        });
      } else {
        tested.add('rois:review:valid');
        expect(await failure('rois:review', { roiId: '999999', decision: 'agree' })).toBe(
          'STORE_NOT_FOUND',
        );
      }
    });
    it('rois:review refuses an unknown decision', () =>
      rejected('rois:review', { roiId: '1', decision: 'maybe' }));

    it('review:record stores the slide decision under the OS user, not a sent name', async () => {
      const review = await accepted('review:record', {
        analysisId: h.analysisId,
        decision: 'disagree',
        comment: 'Too coarse a scan.',
      });
      expect(review.reviewer).toBe(os.userInfo().username);
    });
    it('review:record refuses a reviewer name from the renderer', () =>
      rejected('review:record', {
        analysisId: h.analysisId,
        decision: 'agree',
        reviewer: 'someone',
      }));

    it('audit:list shows the newest entries first, the review among them', async () => {
      const entries = await accepted('audit:list', { limit: 50 });
      expect(entries.map((e) => e.action)).toContain('review.slide.recorded');
      expect(entries[0]?.auditId).toBeGreaterThan(entries.at(-1)?.auditId ?? Infinity);
    });
    it('audit:list refuses a zero limit', () => rejected('audit:list', { limit: 0 }));
  });

  it('covered every channel with an accepted and a rejected payload', () => {
    for (const channel of IPC_CHANNEL_NAMES) {
      expect(tested.has(`${channel}:valid`), `${channel} valid`).toBe(true);
      expect(tested.has(`${channel}:invalid`), `${channel} invalid`).toBe(true);
    }
  });
});
