/**
 * ONNX Runtime session options of the inference engine: threads, graph optimisation
 * and execution providers, with CPU always closing the provider list.
 */
import { availableParallelism } from 'node:os';
import type ort from 'onnxruntime-node';

/** Settings a session is built from. */
export interface SessionSettings {
  /** Threads per operator; defaults to the number of logical cores. */
  intraOpNumThreads?: number;
  /** Providers in order of preference, already probed; CPU is appended when absent. */
  executionProviders?: string[];
  /**
   * Whether ONNX Runtime's own threads may spin while they wait for work (the
   * default). Spinning is fastest on cores nothing else needs; where other threads
   * share the cores it burns the time they would run in.
   */
  canThreadsSpin?: boolean;
}

/** The session options for `settings`. */
export function buildSessionOptions(
  settings: SessionSettings,
): ort.InferenceSession.SessionOptions {
  const providers = settings.executionProviders ?? ['cpu'];
  return {
    intraOpNumThreads: settings.intraOpNumThreads ?? availableParallelism(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    executionProviders: providers.includes('cpu') ? providers : [...providers, 'cpu'],
    ...(settings.canThreadsSpin === false
      ? { extra: { session: { intra_op: { allow_spinning: '0' } } } }
      : {}),
  };
}
