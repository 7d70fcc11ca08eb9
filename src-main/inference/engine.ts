/**
 * The inference engine: ONNX Runtime sessions for a verified bundle, single-graph
 * (image -> maps) or two-stage (image -> tokens -> maps), with the session contract
 * checked on creation and every output checked on each run. The two stages of a
 * two-stage bundle can also run one at a time, so cached tokens can skip the backbone.
 */
import './runtime-telemetry';
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
import { buildSessionOptions, type SessionSettings } from './session-options';

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

/** Patch tokens of a two-stage batch, `[batch, tokenCount, tokenDim]` row-major. */
export interface TokenBatch {
  batchSize: number;
  tokenCount: number;
  tokenDim: number;
  values: Float32Array;
}

/** Reports one graph run: the graph's role and how many tiles the batch held. */
export type GraphRunListener = (role: BundleGraph['role'], batchSize: number) => void;

/** Session settings and a run listener. */
export interface EngineOptions extends SessionSettings {
  /** Called after every graph run (run statistics: which graphs ran on how many tiles). */
  onGraphRun?: GraphRunListener;
}

type Session = ort.InferenceSession;

/** Outputs of one batch's graph runs so far, by meaning. */
interface StageRun {
  byMeaning: Map<string, ort.Tensor>;
  batchSize: number;
}

/** Runs a verified bundle. Create with {@link NucleiEngine.create}; call `release()` when done. */
export class NucleiEngine {
  private constructor(
    readonly manifest: BundleManifest,
    private readonly sessions: Map<BundleGraph['role'], Session>,
    private readonly onGraphRun: GraphRunListener | null,
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
    return new NucleiEngine(bundle.manifest, sessions, options.onGraphRun ?? null);
  }

  /**
   * Whether {@link runHeads} yields every map from tokens alone: a two-stage bundle
   * whose backbone outputs nothing but the tokens. When the backbone also yields
   * another output (an embedding, say), tokens alone cannot stand in for it.
   */
  get canRunHeadsOnTokens(): boolean {
    if (this.manifest.stages !== 'two-stage') return false;
    return Object.entries(this.manifest.outputs).every(
      ([meaning, ref]) => ref.graph === (meaning === 'tokens' ? 'backbone' : 'heads'),
    );
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
    const image = this.imageTensor(batch, batchSize);
    signal?.throwIfAborted();
    const outputs = await this.runGraphs(image, batchSize);
    signal?.throwIfAborted();
    return this.collectMaps(outputs, batchSize);
  }

  /** Runs only the backbone of a two-stage bundle: normalised NCHW tiles to tokens. */
  async runBackbone(
    batch: Float32Array,
    batchSize: number,
    signal?: AbortSignal,
  ): Promise<TokenBatch> {
    const image = this.imageTensor(batch, batchSize);
    signal?.throwIfAborted();
    const byMeaning = new Map<string, ort.Tensor>();
    await this.runStage(this.graph('backbone'), image, { byMeaning, batchSize });
    signal?.throwIfAborted();

    const tokens = this.required(byMeaning, 'tokens');
    return {
      batchSize,
      tokenCount: tokens.dims[1] ?? 0,
      tokenDim: tokens.dims[2] ?? 0,
      values: tokens.data as Float32Array,
    };
  }

  /**
   * Runs only the heads of a two-stage bundle on tokens (from {@link runBackbone} or
   * a cache); refuses a bundle for which {@link canRunHeadsOnTokens} is false.
   */
  async runHeads(tokens: TokenBatch, signal?: AbortSignal): Promise<NucleiMaps> {
    if (!this.canRunHeadsOnTokens)
      throw new InferenceFailedError('This bundle cannot compute its maps from tokens.');
    const { batchSize } = tokens;
    const heads = this.graph('heads');
    const dims = [batchSize, tokens.tokenCount, tokens.tokenDim];
    if (heads.inputs[0]) assertTensorDims(dims, heads.inputs[0], batchSize);
    // The Tensor constructor refuses values whose length does not match the dims.
    const input = new ort.Tensor('float32', tokens.values, dims);

    signal?.throwIfAborted();
    const byMeaning = new Map<string, ort.Tensor>();
    await this.runStage(heads, input, { byMeaning, batchSize });
    signal?.throwIfAborted();
    return this.collectMaps(byMeaning, batchSize);
  }

  /** Releases the native sessions. */
  async release(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.release()));
    this.sessions.clear();
  }

  private imageTensor(batch: Float32Array, batchSize: number): ort.Tensor {
    const tileSizePx = this.manifest.input.tileSizePx;
    const expected = batchSize * 3 * tileSizePx * tileSizePx;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batch.length < expected) {
      throw new InferenceFailedError(
        `A batch of ${batchSize} tiles needs ${expected} values; got ${batch.length}.`,
      );
    }
    return new ort.Tensor('float32', batch.subarray(0, expected), [
      batchSize,
      3,
      tileSizePx,
      tileSizePx,
    ]);
  }

  private async runGraphs(
    image: ort.Tensor,
    batchSize: number,
  ): Promise<Map<string, ort.Tensor>> {
    const run = { byMeaning: new Map<string, ort.Tensor>(), batchSize };
    const isSingle = this.manifest.stages === 'single';
    await this.runStage(this.graph(isSingle ? 'model' : 'backbone'), image, run);

    if (!isSingle) {
      const tokens = run.byMeaning.get('tokens');
      if (!tokens) throw new InferenceFailedError('The backbone produced no tokens.');
      await this.runStage(this.graph('heads'), tokens, run);
    }
    return run.byMeaning;
  }

  /** Runs one graph on its single input and files its outputs by meaning. */
  private async runStage(
    graph: BundleGraph,
    input: ort.Tensor,
    run: StageRun,
  ): Promise<void> {
    const inputName =
      graph.inputs[0]?.name ?? (graph.role === 'heads' ? 'tokens' : 'image');
    const outputs = await this.runGraph(graph, { [inputName]: input });
    this.onGraphRun?.(graph.role, run.batchSize);
    this.assignMeanings(graph, outputs, run);
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
    run: StageRun,
  ): void {
    for (const [meaning, ref] of Object.entries(this.manifest.outputs)) {
      const tensor = outputs[ref.name];
      if (ref.graph !== graph.role || !tensor) continue;
      const spec = findTensor(this.manifest, ref.graph, ref.name);
      if (spec) assertTensorDims(tensor.dims, spec, run.batchSize);
      run.byMeaning.set(meaning, tensor);
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
