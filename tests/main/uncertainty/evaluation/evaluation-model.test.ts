import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  EvaluationModel,
  tileOrigins,
} from '../../../../src-main/uncertainty/evaluation/evaluation-model';
import { describeWithData, sharedDataPath } from '../../../support/shared-data';
import { BUNDLE_PATH, BUNDLE_TARGET_MPP } from '../../analysis/analysis-fixture';

/** A 256 px PanNuke patch, scanned at 0.25 mpp. */
const PATCH = sharedDataPath('pannuke-breast-demo', '00000010.png');

describeWithData('EvaluationModel.runImage', () => {
  let model: EvaluationModel;
  beforeAll(async () => {
    model = await EvaluationModel.open(BUNDLE_PATH, 1);
  }, 60_000);
  afterAll(() => model.close());

  it("resamples the image from its scan's mpp to the bundle's before tiling", async () => {
    for (const imageMpp of [0.25, 2 * BUNDLE_TARGET_MPP]) {
      const outputs = await model.runImage(PATCH, imageMpp);
      const edgePx = Math.round((256 * imageMpp) / BUNDLE_TARGET_MPP);

      expect([outputs.widthPx, outputs.heightPx]).toEqual([edgePx, edgePx]);
      expect(outputs.npLogits).toHaveLength(2 * edgePx * edgePx);
      expect(outputs.npLogits.every(Number.isFinite)).toBe(true);
      expect(outputs.tiles.length).toBe(tileOrigins(edgePx, 256).length ** 2);
    }
  }, 120_000);

  it('finds nuclei on the patch whatever its grid: some pixels lean to nucleus', async () => {
    const outputs = await model.runImage(PATCH, 0.25);
    const planePx = outputs.widthPx * outputs.heightPx;
    let nucleusPixels = 0;
    for (let p = 0; p < planePx; p += 1) {
      if (outputs.npLogits[planePx + p]! > outputs.npLogits[p]!) nucleusPixels += 1;
    }
    expect(nucleusPixels / planePx).toBeGreaterThan(0.02);
    expect(nucleusPixels / planePx).toBeLessThan(0.8);
  }, 120_000);
});
