/**
 * The one IPC contract: every channel the renderer may call, with the runtime schema
 * of its request (validated in main) and of its response. The Electron preload
 * bridge and the loopback HTTP client both implement {@link IpcInvoke}, so the
 * renderer codes against this file only.
 *
 * Requests are strict objects: unknown keys are refused, so a typo never passes
 * silently. Every call answers a `Result` (`{ ok, value }` or `{ ok, error }`).
 */
import { z } from 'zod';
import type { Result } from './errors';
import { IPC_CHANNEL_NAMES, isIpcChannelName, type IpcChannelName } from './ipc-channels';
import {
  AnalysisProgressSchema,
  AnalysisSummarySchema,
  AuditEntrySchema,
  BundleBriefSchema,
  GRID_LAYERS,
  NucleiViewportSchema,
  NucleusDetailSchema,
  RoiSchema,
  SLIDE_DECISIONS,
  SlideReviewSchema,
  UncertaintyGridSchema,
} from './ipc-result-schemas';
import {
  AnalysisBriefSchema,
  EncodedImageSchema,
  IdSchema,
  MppOverrideSchema,
  PointBaseSchema,
  RectBaseSchema,
  SettingsSchema,
  SlideDetailsSchema,
  SlideSummarySchema,
  AppErrorInfoSchema,
} from './ipc-schemas';

const EMPTY = z.strictObject({});
const COMMENT = z.string().max(4000);
/** A path on the workstation; main resolves it and checks it against allowed roots. */
const PATH = z.string().min(1).max(4096);

const AppInfoSchema = z.object({
  appVersion: z.string(),
  transport: z.enum(['electron', 'loopback']),
  platform: z.string(),
  /** The loaded bundle; `null` with `bundleError` set when none could be loaded. */
  bundle: BundleBriefSchema.nullable(),
  bundleError: AppErrorInfoSchema.nullable(),
  offline: z.object({
    /** Every request to a non-app scheme or host is refused. */
    isOutboundBlocked: z.boolean(),
    blockedRequestCount: z.number().int().nonnegative(),
  }),
  /**
   * Deep Zoom tile URL of level `L`, column `C`, row `R`:
   * `${urlPrefix}${slideId}/${L}/${C}_${R}.jpeg${urlSuffix}`.
   */
  tiles: z.object({ urlPrefix: z.string(), urlSuffix: z.string() }),
});

const BrowseEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['directory', 'slide']),
});

const ImageResponse = EncodedImageSchema;

/** Channel name -> request and response schemas. */
export const IPC_CONTRACT = {
  'app:info': { request: EMPTY, response: AppInfoSchema },

  'files:browse': {
    request: z.strictObject({ dirPath: PATH.nullable().default(null) }),
    response: z.object({
      /** `null` when listing the allowed roots themselves. */
      dirPath: z.string().nullable(),
      parentPath: z.string().nullable(),
      entries: z.array(BrowseEntrySchema),
    }),
  },
  'slides:list': { request: EMPTY, response: z.array(SlideSummarySchema) },
  'slides:add': {
    request: z.strictObject({ paths: z.array(PATH).min(1).max(200) }),
    response: z.object({
      added: z.array(SlideSummarySchema),
      failed: z.array(z.object({ path: z.string(), error: AppErrorInfoSchema })),
    }),
  },
  /** Electron only: the native file dialog, then as `slides:add`. */
  'slides:choose': {
    request: EMPTY,
    response: z.object({ added: z.array(SlideSummarySchema), isCancelled: z.boolean() }),
  },
  'slides:remove': {
    request: z.strictObject({ slideId: IdSchema }),
    response: z.object({ slideId: IdSchema }),
  },
  'slides:info': {
    request: z.strictObject({ slideId: IdSchema }),
    response: SlideDetailsSchema,
  },
  'slides:thumbnail': {
    request: z.strictObject({
      slideId: IdSchema,
      maxEdgePx: z.number().int().min(32).max(2048).default(512),
    }),
    response: ImageResponse,
  },
  /** Refused with `ASSOCIATED_IMAGE_HIDDEN` unless the setting for that image is on. */
  'slides:associated-image': {
    request: z.strictObject({ slideId: IdSchema, name: z.string().min(1).max(64) }),
    response: ImageResponse,
  },

  'analysis:start': {
    request: z.strictObject({
      slideId: IdSchema,
      mppOverride: MppOverrideSchema.nullable().default(null),
    }),
    response: AnalysisProgressSchema,
  },
  'analysis:cancel': {
    request: z.strictObject({ jobId: IdSchema }),
    response: AnalysisProgressSchema,
  },
  'analysis:progress': {
    request: z.strictObject({ jobId: IdSchema }),
    response: AnalysisProgressSchema,
  },
  'analysis:list': {
    request: z.strictObject({ slideId: IdSchema }),
    response: z.array(AnalysisBriefSchema),
  },
  'analysis:summary': {
    request: z.strictObject({ analysisId: IdSchema }),
    response: AnalysisSummarySchema,
  },

  'nuclei:viewport': {
    request: z.strictObject({
      analysisId: IdSchema,
      viewportBase: RectBaseSchema,
      /** Zoom: level-0 pixels per screen pixel (1 is full resolution). */
      basePerScreenPx: z.number().positive().max(100_000),
      maxNuclei: z.number().int().min(1).max(500_000).default(100_000),
    }),
    response: NucleiViewportSchema,
  },
  /** The nucleus whose outline contains the point, or `null` when there is none. */
  'nuclei:at': {
    request: z.strictObject({ analysisId: IdSchema, pointBase: PointBaseSchema }),
    response: NucleusDetailSchema.nullable(),
  },
  'uncertainty:grid': {
    request: z.strictObject({ analysisId: IdSchema, layer: z.enum(GRID_LAYERS) }),
    response: UncertaintyGridSchema,
  },

  'rois:list': {
    request: z.strictObject({ analysisId: IdSchema }),
    response: z.array(RoiSchema),
  },
  'rois:review': {
    request: z.strictObject({
      roiId: IdSchema,
      decision: z.enum(SLIDE_DECISIONS),
      comment: COMMENT.default(''),
    }),
    response: RoiSchema,
  },
  'review:record': {
    request: z.strictObject({
      analysisId: IdSchema,
      decision: z.enum(SLIDE_DECISIONS),
      comment: COMMENT.default(''),
    }),
    response: SlideReviewSchema,
  },
  /** Read only: no channel edits or deletes audit rows. Newest first. */
  'audit:list': {
    request: z.strictObject({
      slideId: IdSchema.nullable().default(null),
      limit: z.number().int().min(1).max(1000).default(200),
      beforeAuditId: z.number().int().positive().nullable().default(null),
    }),
    response: z.array(AuditEntrySchema),
  },

  'settings:get': { request: EMPTY, response: SettingsSchema },
  /** Changes the given settings and answers all of them. */
  'settings:set': { request: SettingsSchema.partial(), response: SettingsSchema },

  /** The renderer's logs, written by main's structured logger as module `renderer`. */
  'log:write': {
    request: z.strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error']),
      event: z
        .string()
        .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+){1,5}$/, 'dotted event name'),
      fields: z
        .record(
          z.string().max(64),
          z.union([z.string().max(500), z.number(), z.boolean(), z.null()]),
        )
        .refine((fields) => Object.keys(fields).length <= 20, 'at most 20 fields')
        .default({}),
    }),
    response: z.object({ isWritten: z.boolean() }),
  },
} as const;

/** Every channel name. */
export type IpcChannel = keyof typeof IPC_CONTRACT;

/** The channels as a list (preload and the loopback router accept exactly these). */
export const IPC_CHANNELS: readonly IpcChannel[] = IPC_CHANNEL_NAMES;

/** Compile-time proof that the contract and the plain name list agree both ways. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const CHANNEL_LISTS_AGREE: SameKeys<IpcChannel, IpcChannelName> = true;
void CHANNEL_LISTS_AGREE;

/** What a caller passes (defaults may be omitted). */
export type IpcRequest<C extends IpcChannel> = z.input<
  (typeof IPC_CONTRACT)[C]['request']
>;

/** What a handler receives after validation (defaults filled in). */
export type IpcParsedRequest<C extends IpcChannel> = z.output<
  (typeof IPC_CONTRACT)[C]['request']
>;

/** The value of a successful call. */
export type IpcResponse<C extends IpcChannel> = z.output<
  (typeof IPC_CONTRACT)[C]['response']
>;

/** Transport-neutral call: Electron's bridge and the loopback client both satisfy it. */
export type IpcInvoke = <C extends IpcChannel>(
  channel: C,
  request: IpcRequest<C>,
) => Promise<Result<IpcResponse<C>>>;

/** What preload exposes on `window[BRIDGE_GLOBAL_NAME]`. */
export interface CellvitBridge {
  invoke: IpcInvoke;
}

export { BRIDGE_GLOBAL_NAME } from './ipc-channels';

/** Whether `value` names a channel of the contract. */
export function isIpcChannel(value: unknown): value is IpcChannel {
  return isIpcChannelName(value);
}

/** Loopback transport: `POST ${LOOPBACK_IPC_PATH}<channel>` with a JSON body. */
export const LOOPBACK_IPC_PATH = '/ipc/';

/** Loopback transport: the header that carries the per-run token. */
export const LOOPBACK_TOKEN_HEADER = 'x-cellvit-token';
