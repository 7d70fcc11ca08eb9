/** Where a slide's micrometres-per-pixel value came from. */
export type MppSource =
  | 'openslide-property'
  | 'tiff-resolution'
  | 'ome-physical-size'
  | 'aperio-description'
  | 'dicom-pixel-spacing'
  | 'user';

/** Micrometres per level-0 pixel, with its provenance. */
export interface Mpp {
  x: number;
  y: number;
  source: MppSource;
}

/** One pyramid resolution; level 0 is full resolution. */
export interface PyramidLevel {
  index: number;
  widthPx: number;
  heightPx: number;
  /** Factor from level 0 to this level (level-0 pixels per level pixel). */
  downsample: number;
  /** Native tile edge of the file at this level; `null` for strip-organised images. */
  tileWidthPx: number | null;
  tileHeightPx: number | null;
}

/** Which reader opened the slide. */
export type SlideReaderKind = 'openslide' | 'geotiff' | 'dicom' | 'image';

/** What opening a slide tells about it. No patient identifiers are part of it. */
export interface SlideInfo {
  /** e.g. `aperio-svs`, `generic-tiff`, `ome-tiff`, `dicom-wsi`, `png`. */
  format: string;
  /** Scanner vendor as the file states it, or `null`. */
  vendor: string | null;
  reader: SlideReaderKind;
  widthPx: number;
  heightPx: number;
  levels: PyramidLevel[];
  /** `null` when the file records no calibration: never guessed. */
  mpp: Mpp | null;
  /** Scanning objective power if recorded, else `null`. */
  objectivePower: number | null;
  /** Names of associated images (label, macro, thumbnail); listed, never shown by default. */
  associatedImages: string[];
  hasIccProfile: boolean;
}
