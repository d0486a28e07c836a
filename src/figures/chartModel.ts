/** The model of a line chart (the metrics and Compare Runs panels draw it): pure data, no drawing. */
export interface Series {
  readonly name: string;
  readonly cssClass: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface ChartModel {
  readonly title: string;
  readonly series: readonly Series[];
  readonly xDomain: [number, number];
  readonly yDomain: [number, number];
}

/** Long runs have thousands of epochs: keep at most `max` points per series, always the last. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}
