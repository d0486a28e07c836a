/**
 * The pure axes (src/figures/axis.ts) against d3 itself: the entropy panel used to draw with d3 and
 * `gat visualize` with its own code; both now draw src/figures/entropyFigure.ts, which must give
 * what d3 gave, to the character.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axisBottom, axisLeft, scaleLinear, select, ticks, type Selection } from 'd3';
import { axisMarkup, linearScale, linearTicks, niceDomain, tickFormat } from '../../src/figures/axis';

/** Domains as the entropy panel and the metrics charts meet them: entropies in nats, counts, tiny spans. */
const DOMAINS: Array<[number, number]> = [
  [0, 1],
  [0, 2708],
  [0.693, 5.13],
  [0.6931471805599453, 5.1298987149230735],
  [1e-4, 3e-4],
  [0, 0.001],
  [2.1, 2.1009],
  [0, 37],
  [0, 19717],
  [-3.2, 4.7],
  [12, 12],
];

describe('pure axes, held to d3', () => {
  it('ticks, nice domains, positions and labels equal d3\'s for every domain and count', () => {
    for (const [a, b] of DOMAINS) {
      for (const count of [2, 4, 5, 10]) {
        assert.deepEqual(linearTicks(a, b, count), ticks(a, b, count), `ticks(${a}, ${b}, ${count})`);
        const d3Scale = scaleLinear().domain([a, b]);
        assert.deepEqual(niceDomain(a, b, count), d3Scale.copy().nice(count).domain(), `nice(${a}, ${b}, ${count})`);
        const format = d3Scale.tickFormat(count);
        const ours = tickFormat(a, b, count);
        for (const t of [...ticks(a, b, count), a, b, -0, 1234.5, -1234.5]) assert.equal(ours(t), format(t), `format ${t} on (${a}, ${b}, ${count})`);
      }
      const d3Scale = scaleLinear().domain([a, b]).range([40, 310]);
      const ours = linearScale([a, b], [40, 310]);
      for (const v of [a, b, (a + b) / 2, a + (b - a) / 3]) assert.equal(ours(v), d3Scale(v), `position of ${v} on (${a}, ${b})`);
    }
  });

  it('draws the markup d3-axis draws, bottom and left, at both pixel offsets', () => {
    // d3-axis needs elements to draw into: a minimal DOM that serialises what it is given.
    for (const offset of [0.5, 0]) {
      for (const [a, b] of DOMAINS.slice(0, 6)) {
        const x = scaleLinear().domain([a, b]).range([40, 310]);
        const y = scaleLinear().domain([0, b > 0 ? b : 1]).nice().range([150, 22]);
        const xMarkup = drawWithD3((g) => g.attr('class', 'axis').attr('transform', 'translate(0,150)').call(axisBottom(x).ticks(5).offset(offset)));
        const yMarkup = drawWithD3((g) => g.attr('class', 'axis').attr('transform', 'translate(40,0)').call(axisLeft(y).ticks(4).offset(offset)));
        const [y0, y1] = y.domain() as [number, number];
        assert.equal(axisMarkup({ orient: 'bottom', scale: linearScale([a, b], [40, 310]), range: [40, 310], ticks: linearTicks(a, b, 5), format: tickFormat(a, b, 5), transform: 'translate(0,150)', offset }), xMarkup, `bottom (${a}, ${b}) offset ${offset}`);
        assert.equal(axisMarkup({ orient: 'left', scale: linearScale([y0, y1], [150, 22]), range: [150, 22], ticks: linearTicks(y0, y1, 4), format: tickFormat(y0, y1, 4), transform: 'translate(40,0)', offset }), yMarkup, `left (0, ${b}) offset ${offset}`);
      }
    }
  });
});

/** Runs `draw` on a d3 selection of a fake <g> and serialises the elements it made, attributes in order. */
function drawWithD3(draw: (g: Selection<SVGGElement, unknown, null, undefined>) => void): string {
  const g = new FakeElement('g');
  draw(select(g as unknown as SVGGElement));
  return g.serialize();
}

/** Just enough of the DOM for d3-selection and d3-axis: children, attributes in order, text. */
class FakeElement {
  readonly ownerDocument = { createElementNS: (_ns: string, name: string) => new FakeElement(name), documentElement: {} };
  readonly namespaceURI = 'http://www.w3.org/2000/svg';
  parentNode: FakeElement | null = null;
  readonly childNodes: FakeElement[] = [];
  private readonly attrs = new Map<string, string>();
  textContent = '';
  __axis?: unknown;

  constructor(readonly localName: string) {}

  get firstChild(): FakeElement | null {
    return this.childNodes[0] ?? null;
  }
  get nextSibling(): FakeElement | null {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  setAttribute(name: string, value: unknown): void {
    this.attrs.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }
  insertBefore(child: FakeElement, before: FakeElement | null): FakeElement {
    child.parentNode = this;
    const at = before ? this.childNodes.indexOf(before) : -1;
    if (at < 0) this.childNodes.push(child);
    else this.childNodes.splice(at, 0, child);
    return child;
  }
  appendChild(child: FakeElement): FakeElement {
    return this.insertBefore(child, null);
  }
  removeChild(child: FakeElement): FakeElement {
    this.childNodes.splice(this.childNodes.indexOf(child), 1);
    child.parentNode = null;
    return child;
  }
  compareDocumentPosition(other: FakeElement): number {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings.indexOf(other) > siblings.indexOf(this) ? 4 : 2;
  }
  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
  querySelectorAll(selector: string): FakeElement[] {
    const cls = selector.startsWith('.') ? selector.slice(1) : undefined;
    const out: FakeElement[] = [];
    const visit = (e: FakeElement): void => {
      for (const c of e.childNodes) {
        if (cls ? (c.getAttribute('class') ?? '').split(' ').includes(cls) : c.localName === selector) out.push(c);
        visit(c);
      }
    };
    visit(this);
    return out;
  }
  matches(selector: string): boolean {
    return selector.startsWith('.') ? (this.getAttribute('class') ?? '').split(' ').includes(selector.slice(1)) : this.localName === selector;
  }
  serialize(): string {
    const attrs = [...this.attrs].map(([k, v]) => ` ${k}="${v}"`).join('');
    return `<${this.localName}${attrs}>${this.textContent}${this.childNodes.map((c) => c.serialize()).join('')}</${this.localName}>`;
  }
}
