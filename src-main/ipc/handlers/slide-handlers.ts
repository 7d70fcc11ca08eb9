/**
 * Handlers of the slide library: add (files are referenced, never copied), list,
 * remove, info, thumbnail and associated images (label and macro hidden unless the
 * setting allows, and every view is audited).
 */
import sharp from 'sharp';
import { AppError, type AppErrorInfo } from '../../../src-shared/errors';
import type { SlideSummary } from '../../../src-shared/ipc-schemas';
import { computeSlideContentId } from '../../store/slide-identity';
import type { AppServices } from '../app-services';
import type { IpcHandlers } from '../ipc-router';
import { resolveWithinRoots } from '../path-roots';
import { removeSlide } from '../slide-removal';
import { slideDetails, slideSummary } from '../slide-summaries';
import { slideStoreId, toArrayBuffer } from '../store-ids';
import { encodeJpeg } from '../tile-service';

type SlideHandlers = Pick<
  IpcHandlers,
  | 'slides:list'
  | 'slides:add'
  | 'slides:choose'
  | 'slides:remove'
  | 'slides:info'
  | 'slides:thumbnail'
  | 'slides:associated-image'
>;

async function addOne(services: AppServices, candidate: string): Promise<SlideSummary> {
  const filePath = await resolveWithinRoots(candidate, services.slideRoots);
  const reader = await services.openSlide(filePath);
  try {
    const { info } = reader;
    const dims = { widthPx: info.widthPx, heightPx: info.heightPx };
    const contentId = await computeSlideContentId(filePath, dims);
    const slide = services.store.upsertSlide({
      contentId,
      path: filePath,
      format: info.format,
      ...dims,
      mpp: info.mpp,
    });
    services.store.reviews.appendAudit({
      actor: services.actor,
      action: 'slide.added',
      slideId: slide.id,
      details: { format: info.format, hasMpp: info.mpp !== null },
    });
    return slideSummary(services.store, slide);
  } finally {
    await reader.close();
  }
}

async function addSlides(services: AppServices, paths: readonly string[]) {
  const added: SlideSummary[] = [];
  const failed: { path: string; error: AppErrorInfo }[] = [];
  for (const candidate of paths) {
    try {
      added.push(await addOne(services, candidate));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failed.push({
        path: candidate,
        error: { code: error.code, message: error.message },
      });
    }
  }
  return { added, failed };
}

/** Which setting unlocks an associated image; `null`: never identifying. */
function unlockingSetting(name: string): 'showLabelImage' | 'showMacroImage' | null {
  if (name === 'thumbnail') return null;
  return name === 'label' ? 'showLabelImage' : 'showMacroImage';
}

function assertAssociatedImageAllowed(services: AppServices, name: string): void {
  const setting = unlockingSetting(name);
  if (setting === null || services.settings.get()[setting]) return;
  throw new AppError(
    'ASSOCIATED_IMAGE_HIDDEN',
    `The ${name} image may show patient identifiers and is hidden. ` +
      'Enable it in Settings if your site allows it.',
  );
}

async function readAssociatedImage(services: AppServices, slideId: string, name: string) {
  const reader = await services.slides.get(slideId);
  if (!reader.info.associatedImages.includes(name)) {
    throw new AppError(
      'INVALID_PAYLOAD',
      'This slide has no associated image of that name.',
    );
  }
  assertAssociatedImageAllowed(services, name);

  const image = await reader.readAssociatedImage(name, { allowIdentifying: true });
  const raw = { width: image.widthPx, height: image.heightPx, channels: 3 as const };
  const png = await sharp(image.data, { raw }).png().toBuffer();
  services.store.reviews.appendAudit({
    actor: services.actor,
    action: 'slide.associated-image.viewed',
    slideId: slideStoreId(slideId),
    details: { name },
  });
  return {
    image: toArrayBuffer(png),
    mimeType: 'image/png' as const,
    widthPx: image.widthPx,
    heightPx: image.heightPx,
  };
}

/** The slide library's handlers. */
export function createSlideHandlers(services: AppServices): SlideHandlers {
  const { store } = services;
  return {
    'slides:list': () => store.listSlides().map((slide) => slideSummary(store, slide)),
    'slides:add': (request) => addSlides(services, request.paths),
    'slides:choose': async () => {
      if (!services.chooseSlideFiles) {
        throw new AppError(
          'INVALID_PAYLOAD',
          'The file dialog exists only in the desktop app; use Browse.',
        );
      }
      const paths = await services.chooseSlideFiles();
      if (paths === null) return { added: [], isCancelled: true };
      const { added, failed } = await addSlides(services, paths);
      if (added.length === 0 && failed[0])
        throw new AppError(failed[0].error.code, failed[0].error.message);
      return { added, isCancelled: false };
    },
    'slides:remove': (request) => {
      services.slides.forget(request.slideId);
      services.tiles.forgetSlide(request.slideId);
      removeSlide(services, slideStoreId(request.slideId));
      return { slideId: request.slideId };
    },
    'slides:info': async (request) => {
      const slide = store.getSlide(slideStoreId(request.slideId));
      const reader = await services.slides.get(request.slideId);
      return slideDetails(slideSummary(store, slide), reader);
    },
    'slides:thumbnail': async (request) => {
      const reader = await services.slides.get(request.slideId);
      const image = await reader.readThumbnail(request.maxEdgePx);
      const jpeg = await encodeJpeg(image, image);
      return {
        image: toArrayBuffer(jpeg),
        mimeType: 'image/jpeg',
        widthPx: image.widthPx,
        heightPx: image.heightPx,
      };
    },
    'slides:associated-image': (request) =>
      readAssociatedImage(services, request.slideId, request.name),
  };
}
