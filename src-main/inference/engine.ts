/**
 * The inference engine: ONNX Runtime sessions for a verified bundle, single-graph
 * (image -> maps) or two-stage (image -> tokens -> maps), with the session contract
 * checked on creation and every output checked on each run.
 */
import { availableParallelism } from 'node:os';
import ort from 'onnxruntime-node';
import type {
  BundleGraph,
  BundleManifest,
  OutputMeaning,
} from '../../src-shared/bundle-manifest';
import { createLogger } from '../logging/logger';
import { InferenceFailedError } from './bundle-errors';
import type { LoadedBundle } from './bundle-loader';
import { findTensor } from './manifest-consistency';
import { assertSessionMatchesGraph, assertTensorDims } from './session-contract';

const log = createLogger('inference');

/** Maps of one batch; every array is row-major with the batch axis first. */
export interface NucleiMaps {
  batchSize: number;
  /** Map height and width in tile pixels. */
  heightPx: number;
  widthPx: number;
  /** Nucleus logits, [batch, 2, H, W]. */
  np: Float32Array;
  /** Horizontal and vertical distance maps in [-1, 1], [batch, 2, H, W]. */
  hv: Float32Array;
  /** Type logits, [batch, ntChannels, H, W]; `null` when the bundle has no types. */
  nt: Float32Array | null;
  ntChannels: number;
  /** Pooled features, [batch, embeddingDim]. */
  embedding: Float32Array;
  embeddingDim: number;
  /** Organ logits, [batch, organCount]; `null` when the bundle has no organ head. */
  organ: Float32Array | null;
  organCount: number;
}

/** Session settings. */
export interface EngineOptions {
  /** Threads per operator; defaults to the number of logical cores. */
  intraOpNumThreads?: number;
  /** Providers in order of preference, already probed; CPU is appended when absent. */
  executionProviders?: string[];
}

type Session = ort.InferenceSession;

/** Runs a verified bundle. Create with {@link NucleiEngine.create}; call `release()` when done. */
export class NucleiEngine {
  private constructor(
    readonly manifest: BundleManifest,
    private readonly sessions: Map<BundleGraph['role'], Session>,
  ) {}

  /** Creates the sessions from the verified bytes and checks them against the manifest. */
  static async create(
    bundle: LoadedBundle,
    options: EngineOptions = {},
  ): Promise<NucleiEngine> {
    const startedMs = performance.now();
    const sessionOptions = buildSessionOptions(options);
    const sessions = new Map<BundleGraph['role'], Session>();

    try {
      for (const graph of bundle.manifest.graphs) {
        const bytes = bundle.graphBytes.get(graph.role);
        if (!bytes)
          throw new InferenceFailedError(`No verified bytes for graph "${graph.role}".`);
        const session = await ort.InferenceSession.create(bytes, sessionOptions);
        sessions.set(graph.role, session);
        assertSessionMatchesGraph(session, graph);
      }
    } catch (error) {
      await Promise.all([...sessions.values()].map((session) => session.release()));
      throw error;
    }

    log.info('engine.created', {
      bundleId: bundle.manifest.id,
      stages: bundle.manifest.stages,
      threads: sessionOptions.intraOpNumThreads,
      providers: sessionOptions.executionProviders,
      durationMs: Math.round(performance.now() - startedMs),
    });
    return new NucleiEngine(bundle.manifest, sessions);
  }

  /**
   * Runs one batch of normalised NCHW tiles (see `preprocess`). An aborted signal
   * rejects with an `AbortError` before or after the session runs (ONNX Runtime for
   * Node cannot interrupt a run in progress).
   */
  async run(
    batch: Float32Array,
    batchSize: number,
    signal?: AbortSignal,
  ): Promise<NucleiMaps> {
    const tileSizePx = this.manifest.input.tileSizePx;
    const expected = batchSize * 3 * tileSizePx * tileSizePx;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batch.length < expected) {
      throw new InferenceFailedError(
        `A batch of ${batchSize} tiles needs ${expected} values; got ${batch.length}.`,
      );
    }
    signal?.throwIfAborted();

    const image = new ort.Tensor('float32', batch.subarray(0, expected), [
      batchSize,
      3,
      tileSizePx,
      tileSizePx,
    ]);
    const outputs = await this.runGraphs(image, batchSize);
    signal?.throwIfAborted();
    return this.collectMaps(outputs, batchSize);
  }

  /** Releases the native sessions. */
  async release(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.release()));
    this.sessions.clear();
  }

  private async runGraphs(
    image: ort.Tensor,
    batchSize: number,
  ): Promise<Map<string, ort.Tensor>> {
    const byMeaning = new Map<string, ort.Tensor>();
    const imageGraph = this.graph(
      this.manifest.stages === 'single' ? 'model' : 'backbone',
    );
    const first = await this.runGraph(imageGraph, {
      [imageGraph.inputs[0]?.name ?? 'image']: image,
    });
    this.assignMeanings(imageGraph, first, byMeaning, batchSize);

    if (this.manifest.stages === 'two-stage') {
      const heads = this.graph('heads');
      const tokens = byMeaning.get('tokens');
      if (!tokens) throw new InferenceFailedError('The backbone produced no tokens.');
      const second = await this.runGraph(heads, {
        [heads.inputs[0]?.name ?? 'tokens']: tokens,
      });
      this.assignMeanings(heads, second, byMeaning, batchSize);
    }
    return byMeaning;
  }

  private async runGraph(
    graph: BundleGraph,
    feeds: Record<string, ort.Tensor>,
  ): Promise<Record<string, ort.Tensor>> {
    const session = this.sessions.get(graph.role);
    if (!session) throw new InferenceFailedError(`The engine was released.`);
    try {
      return (await session.run(feeds)) as Record<string, ort.Tensor>;
    } catch (error) {
      throw new InferenceFailedError(
        `Graph "${graph.file}" failed to run: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private assignMeanings(
    graph: BundleGraph,
    outputs: Record<string, ort.Tensor>,
    byMeaning: Map<string, ort.Tensor>,
    batchSize: number,
  ): void {
    for (const [meaning, ref] of Object.entries(this.manifest.outputs)) {
      const tensor = outputs[ref.name];
      if (ref.graph !== graph.role || !tensor) continue;
      const spec = findTensor(this.manifest, ref.graph, ref.name);
      if (spec) assertTensorDims(tensor.dims, spec, batchSize);
      byMeaning.set(meaning, tensor);
    }
  }

  private collectMaps(byMeaning: Map<string, ort.Tensor>, batchSize: number): NucleiMaps {
    const np = this.required(byMeaning, 'np');
    const nt = byMeaning.get('nt') ?? null;
    const embedding = this.required(byMeaning, 'embedding');
    const organ = byMeaning.get('organ') ?? null;
    return {
      batchSize,
      heightPx: np.dims[2] ?? 0,
      widthPx: np.dims[3] ?? 0,
      np: np.data as Float32Array,
      hv: this.required(byMeaning, 'hv').data as Float32Array,
      nt: nt ? (nt.data as Float32Array) : null,
      ntChannels: nt?.dims[1] ?? 0,
      embedding: embedding.data as Float32Array,
      embeddingDim: embedding.dims[1] ?? 0,
      organ: organ ? (organ.data as Float32Array) : null,
      organCount: organ?.dims[1] ?? 0,
    };
  }

  private required(
    byMeaning: Map<string, ort.Tensor>,
    meaning: OutputMeaning,
  ): ort.Tensor {
    const tensor = byMeaning.get(meaning);
    if (!tensor)
      throw new InferenceFailedError(`The bundle produced no "${meaning}" output.`);
    return tensor;
  }

  private graph(role: BundleGraph['role']): BundleGraph {
    const graph = this.manifest.graphs.find((g) => g.role === role);
    if (!graph) throw new InferenceFailedError(`The bundle has no "${role}" graph.`);
    return graph;
  }
}

function buildSessionOptions(
  options: EngineOptions,
): ort.InferenceSession.SessionOptions {
  const providers = options.executionProviders ?? ['cpu'];
  return {
    intraOpNumThreads: options.intraOpNumThreads ?? availableParallelism(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    executionProviders: providers.includes('cpu') ? providers : [...providers, 'cpu'],
  };
}
