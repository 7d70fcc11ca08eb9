/**
 * What sits on top of the slide besides overlays: the scale bar (or the
 * "uncalibrated" badge when the slide has no mpp) and the cursor position.
 */
import { useEffect, useState } from 'react';
import OpenSeadragon from 'openseadragon';
import { chooseScaleBar, formatCursorPosition, type ScaleBarSpec } from './scale-bar';
import { currentTransform, onViewChange } from './osd-bridge';

const MAX_SCALE_BAR_SCREEN_PX = 160;

/** The scale bar; a visible "uncalibrated" badge instead when `mppX` is null. */
export function ScaleBar(props: { viewer: OpenSeadragon.Viewer; mppX: number | null }) {
  const [spec, setSpec] = useState<ScaleBarSpec | null>(null);
  const { viewer, mppX } = props;

  useEffect(
    () =>
      onViewChange(viewer, () =>
        setSpec(
          chooseScaleBar({
            mppX,
            screenPxPerBasePx: currentTransform(viewer).screenPxPerBasePx,
            maxLengthScreenPx: MAX_SCALE_BAR_SCREEN_PX,
          }),
        ),
      ),
    [viewer, mppX],
  );

  if (mppX === null) {
    return (
      <div className="uncalibrated-badge" role="status">
        Uncalibrated: this slide records no pixel size, so there is no scale bar and
        positions are in pixels.
      </div>
    );
  }
  if (!spec) return null;
  return (
    <div className="scale-bar" aria-label={`Scale bar ${spec.label}`}>
      <div className="scale-bar-line" style={{ width: `${spec.lengthScreenPx}px` }} />
      <span>{spec.label}</span>
    </div>
  );
}

/** The level-0 position under the pointer, in µm when calibrated, else px. */
export function CursorReadout(props: {
  viewer: OpenSeadragon.Viewer;
  mppX: number | null;
  mppY: number | null;
}) {
  const [text, setText] = useState('Move the pointer over the slide');
  const { viewer, mppX, mppY } = props;

  useEffect(() => {
    const element = viewer.element;
    const move = (event: PointerEvent) => {
      const bounds = element.getBoundingClientRect();
      const point = new OpenSeadragon.Point(
        event.clientX - bounds.left,
        event.clientY - bounds.top,
      );
      const base = viewer.viewport.viewerElementToImageCoordinates(point);
      setText(formatCursorPosition({ baseX: base.x, baseY: base.y, mppX, mppY }));
    };
    element.addEventListener('pointermove', move);
    return () => element.removeEventListener('pointermove', move);
  }, [viewer, mppX, mppY]);

  return (
    <div className="cursor-readout" aria-live="off">
      {text}
    </div>
  );
}
