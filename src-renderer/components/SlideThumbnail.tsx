/** A slide's downscaled overview (never its label or macro image). */
import { useEffect, useState } from 'react';
import { useAppContext } from '../api/api-context';

const THUMBNAIL_EDGE_PX = 96;

/** The thumbnail, or a neutral box with the reason it could not be shown. */
export function SlideThumbnail(props: { slideId: string; isFileAvailable: boolean }) {
  const { api } = useAppContext();
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!props.isFileAvailable) return;
    let objectUrl: string | null = null;
    let isCurrent = true;
    api
      .call('slides:thumbnail', {
        slideId: props.slideId,
        maxEdgePx: THUMBNAIL_EDGE_PX * 2,
      })
      .then((image) => {
        if (!isCurrent) return;
        objectUrl = URL.createObjectURL(
          new Blob([image.image], { type: image.mimeType }),
        );
        setUrl(objectUrl);
      })
      .catch((error: unknown) => {
        if (isCurrent) setFailure(error instanceof Error ? error.message : String(error));
      });
    return () => {
      isCurrent = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, props.slideId, props.isFileAvailable]);

  if (!props.isFileAvailable) {
    return <div className="thumbnail thumbnail-missing">File moved or missing</div>;
  }
  if (failure)
    return (
      <div className="thumbnail thumbnail-missing" title={failure}>
        No preview
      </div>
    );
  if (!url) return <div className="thumbnail thumbnail-loading" aria-busy="true" />;
  return (
    <img className="thumbnail" src={url} alt="Slide overview" width={THUMBNAIL_EDGE_PX} />
  );
}
