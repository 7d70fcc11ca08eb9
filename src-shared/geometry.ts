/** An axis-aligned rectangle; the coordinate space is named by the variable (`baseRect`, `levelRect`). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A point; the coordinate space is named by the variable. */
export interface Point {
  x: number;
  y: number;
}

/** Whether `point` lies inside `rect` (left and top edges inclusive, right and bottom exclusive). */
export function rectContains(rect: Rect, point: Point): boolean {
  return (
    point.x >= rect.x &&
    point.y >= rect.y &&
    point.x < rect.x + rect.width &&
    point.y < rect.y + rect.height
  );
}

/** The overlap of two rectangles, or `null` when they do not overlap. */
export function intersectRects(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  if (right <= x || bottom <= y) return null;
  return { x, y, width: right - x, height: bottom - y };
}
