/**
 * Checks an ONNX Runtime session against the tensors its manifest declares: names,
 * element types and static dims. A dim the manifest names (`"batch"`) may be
 * anything; a dim the graph leaves symbolic is checked on the first real output.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { BundleGraph, TensorSpec } from '../../src-shared/bundle-manifest';
import { BundleShapeMismatchError } from './bundle-errors';

type ValueMetadata = InferenceSession.ValueMetadata;

/** Throws BUNDLE_SHAPE_MISMATCH when the session's inputs or outputs differ from `graph`. */
export function assertSessionMatchesGraph(
  session: Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>,
  graph: BundleGraph,
): void {
  assertSideMatches(session.inputMetadata, graph.inputs, `${graph.file} input`);
  assertSideMatches(session.outputMetadata, graph.outputs, `${graph.file} output`);
}

function assertSideMatches(
  actual: readonly ValueMetadata[],
  declared: TensorSpec[],
  label: string,
): void {
  for (const spec of declared) {
    const meta = actual.find((value) => value.name === spec.name);
    if (!meta) {
      const names = actual.map((value) => value.name).join(', ');
      throw new BundleShapeMismatchError(
        `${label} "${spec.name}" is declared in the manifest but the graph has only: ${names}.`,
      );
    }
    if (!meta.isTensor || meta.type !== spec.dtype) {
      const type = meta.isTensor ? meta.type : 'a non-tensor value';
      throw new BundleShapeMismatchError(
        `${label} "${spec.name}" is ${type}; the manifest says ${spec.dtype}.`,
      );
    }
    assertDimsMatch(meta.shape, spec, label);
  }
}

function assertDimsMatch(
  actualShape: ReadonlyArray<number | string>,
  spec: TensorSpec,
  label: string,
): void {
  if (actualShape.length !== 0 && actualShape.length !== spec.shape.length) {
    throw new BundleShapeMismatchError(
      `${label} "${spec.name}" has rank ${actualShape.length}; the manifest declares [${spec.shape.join(', ')}].`,
    );
  }
  spec.shape.forEach((declaredDim, axis) => {
    const actualDim = actualShape[axis];
    const isComparable = typeof declaredDim === 'number' && typeof actualDim === 'number';
    if (isComparable && actualDim !== declaredDim && actualDim > 0) {
      throw new BundleShapeMismatchError(
        `${label} "${spec.name}" axis ${axis} is ${actualDim}; the manifest declares ${declaredDim}.`,
      );
    }
  });
}

/**
 * Checks the dims of a tensor the session produced against its declaration; a named
 * dynamic dim must equal `batchSize` when it is the first axis.
 */
export function assertTensorDims(
  dims: readonly number[],
  spec: TensorSpec,
  batchSize: number,
): void {
  const isMatch =
    dims.length === spec.shape.length &&
    spec.shape.every((declared, axis) =>
      typeof declared === 'number'
        ? dims[axis] === declared
        : axis !== 0 || dims[0] === batchSize,
    );
  if (!isMatch) {
    throw new BundleShapeMismatchError(
      `Output "${spec.name}" came back as [${dims.join(', ')}]; the manifest declares ` +
        `[${spec.shape.join(', ')}] with batch ${batchSize}.`,
    );
  }
}
