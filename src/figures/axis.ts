/**
 * Linear scales and axes as SVG markup, written to give what d3 (d3-scale 4, d3-array 3, d3-format
 * 3, d3-axis 3) gives to the character: a figure drawn here in Node (`gat visualize`) and the same
 * figure in a panel agree to the pixel. Pure: no DOM, no d3 (test/unit/axis.test.ts holds it to d3).
 */

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** d3-array's tickSpec: integer tick indices i1..i2 and the increment (negative: its inverse). */
function tickSpec(start: number, stop: number, count: number): [number, number, number] {
  const step = (stop - start) / Math.max(0, count);
  const power = Math.floor(Math.log10(step));
  const error = step / Math.pow(10, power);
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  let i1: number;
  let i2: number;
  let inc: number;
  if (power < 0) {
    inc = Math.pow(10, -power) / factor;
    i1 = Math.round(start * inc);
    i2 = Math.round(stop * inc);
    if (i1 / inc < start) ++i1;
    if (i2 / inc > stop) --i2;
    inc = -inc;
  } else {
    inc = Math.pow(10, power) * factor;
    i1 = Math.round(start / inc);
    i2 = Math.round(stop / inc);
    if (i1 * inc < start) ++i1;
    if (i2 * inc > stop) --i2;
  }
  if (i2 < i1 && 0.5 <= count && count < 2) return tickSpec(start, stop, count * 2);
  return [i1, i2, inc];
}

/** Round values covering [start, stop], about `count` of them (d3.ticks, for start ≤ stop). */
export function linearTicks(start: number, stop: number, count: number): number[] {
  if (!(count > 0)) return [];
  if (start === stop) return [start];
  const [i1, i2, inc] = tickSpec(start, stop, count);
  if (!(i2 >= i1)) return [];
  return Array.from({ length: i2 - i1 + 1 }, (_, i) => (inc < 0 ? (i1 + i) / -inc : (i1 + i) * inc));
}

/** The domain widened to round ends, as scaleLinear().nice(count) does (unchanged when it finds none). */
export function niceDomain(start: number, stop: number, count = 10): [number, number] {
  let [lo, hi] = [start, stop];
  let prestep: number | undefined;
  for (let iterations = 10; iterations > 0; iterations--) {
    const step = tickSpec(lo, hi, count)[2];
    if (step === prestep) return [lo, hi];
    if (step > 0) {
      lo = Math.floor(lo / step) * step;
      hi = Math.ceil(hi / step) * step;
    } else if (step < 0) {
      lo = Math.ceil(lo * step) / step;
      hi = Math.floor(hi * step) / step;
    } else break;
    prestep = step;
  }
  return [start, stop];
}

/** Maps the domain onto the range linearly, with d3's arithmetic (so positions match to the last digit). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (v) => {
    const t = span ? (v - d0) / span : 0.5;
    return r0 * (1 - t) + r1 * t;
  };
}

/** Tick labels as scale.tickFormat(count) writes them: fixed decimals for the tick step, grouped thousands. */
export function tickFormat(start: number, stop: number, count: number): (v: number) => string {
  const inc = tickSpec(start, stop, count)[2];
  const step = inc < 0 ? 1 / -inc : inc;
  // d3-format's precisionFixed; without a usable step (a one-value domain), format's default of 6.
  const precision = step === 0 || !Number.isFinite(step) ? 6 : Math.max(0, -Number(step.toExponential().split('e')[1]));
  return (v) => {
    const negative = v < 0 || 1 / v < 0;
    const fixed = Math.abs(v).toFixed(precision);
    const [whole, fraction] = fixed.split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
    return `${negative && Number(fixed) !== 0 ? '\u2212' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
  };
}

export interface AxisOptions {
  readonly orient: 'bottom' | 'left';
  readonly scale: (v: number) => number;
  /** The scale's range (where the axis line starts and ends). */
  readonly range: readonly [number, number];
  readonly ticks: readonly number[];
  readonly format: (v: number) => string;
  /** The axis group's transform (where the axis sits). */
  readonly transform: string;
  /** d3 shifts crisp 1-px lines by half a pixel unless the screen has more than one pixel per CSS pixel. */
  readonly offset: number;
  readonly className?: string;
}

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An axis as d3-axis draws it (domain path, then one group per tick), as SVG markup. */
export function axisMarkup(o: AxisOptions): string {
  const bottom = o.orient === 'bottom';
  const k = bottom ? 1 : -1;
  const size = 6;
  const spacing = 9; // tick size 6 + padding 3
  const r0 = o.range[0] + o.offset;
  const r1 = o.range[1] + o.offset;
  const domain = bottom ? `M${r0},${k * size}V${o.offset}H${r1}V${k * size}` : `M${k * size},${r0}H${o.offset}V${r1}H${k * size}`;
  const ticks = o.ticks
    .map((t) => {
      const at = o.scale(t) + o.offset;
      const line = bottom ? `<line stroke="currentColor" y2="${k * size}"></line>` : `<line stroke="currentColor" x2="${k * size}"></line>`;
      const text = bottom ? `<text fill="currentColor" y="${k * spacing}" dy="0.71em">` : `<text fill="currentColor" x="${k * spacing}" dy="0.32em">`;
      return `<g class="tick" opacity="1" transform="${bottom ? `translate(${at},0)` : `translate(0,${at})`}">${line}${text}${escapeText(o.format(t))}</text></g>`;
    })
    .join('');
  return `<g class="${o.className ?? 'axis'}" transform="${o.transform}" fill="none" font-size="10" font-family="sans-serif" text-anchor="${bottom ? 'middle' : 'end'}"><path class="domain" stroke="currentColor" d="${domain}"></path>${ticks}</g>`;
}
