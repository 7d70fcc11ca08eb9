import { describe, expect, it } from 'vitest';
import {
  CONSEP_TO_NT,
  instanceClasses,
  PANNUKE_DEMO_TO_NT,
  typeMappingFor,
} from '../../../src-main/evaluation/type-mappings';
import { paint } from './label-maps';

describe('instanceClasses', () => {
  it('takes the majority type over each instance when its pixels disagree', () => {
    const instances = paint(4, 1, [
      { label: 1, x0: 0, x1: 2, y0: 0, y1: 0 },
      { label: 2, x0: 3, x1: 3, y0: 0, y1: 0 },
    ]);
    // Instance 1 has types 4, 4, 2 -> spindle (4) -> class 2; instance 2 is inflammatory.
    const types = [4, 4, 2, 2];

    const classes = instanceClasses(instances, types, CONSEP_TO_NT);

    expect(Object.fromEntries(classes)).toEqual({ 1: 2, 2: 1 });
  });

  it('leaves an instance unknown when its type has no class in the mapping', () => {
    const instances = paint(2, 1, [
      { label: 5, x0: 0, x1: 0, y0: 0, y1: 0 },
      { label: 6, x0: 1, x1: 1, y0: 0, y1: 0 },
    ]);

    // PanNuke demo: 1 neoplastic -> class 3; 2 "not neoplastic" -> unknown.
    const classes = instanceClasses(instances, [1, 2], PANNUKE_DEMO_TO_NT);

    expect(Object.fromEntries(classes)).toEqual({ 5: 3, 6: null });
  });

  it('leaves an instance unknown when none of its pixels carries a type', () => {
    const instances = paint(1, 1, [{ label: 1, x0: 0, x1: 0, y0: 0, y1: 0 }]);

    expect(instanceClasses(instances, [0], CONSEP_TO_NT).get(1)).toBeNull();
  });
});

describe('typeMappingFor', () => {
  it('matches the training tables of models/training/classes.py when given each scheme', () => {
    // CONSEP_TO_NT = {0: 0, 1: 4, 2: 1, 3: 3, 4: 2}; PANNUKE_DEMO_TO_NT = {0: 0, 1: 3, 2: IGNORE}.
    expect([...(typeMappingFor('consep') ?? [])]).toEqual([
      [1, 4],
      [2, 1],
      [3, 3],
      [4, 2],
    ]);
    expect([...(typeMappingFor('pannuke-demo') ?? [])]).toEqual([[1, 3]]);
    expect(typeMappingFor('none')).toBeNull();
  });
});
