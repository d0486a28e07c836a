/**
 * Class colours: Okabe–Ito (safe for the common colour-vision deficiencies), with lightness
 * tuned per theme kind so every colour keeps ≥ 3:1 contrast with the editor background
 * (checked by a unit test). Order follows Cora's class indices. Light themes swap the yellow,
 * which cannot reach 3:1 on white, for a dark violet (grey read as "dimmed" on the largest class).
 */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

const CLASS_COLOURS: Readonly<Record<ThemeKind, readonly string[]>> = {
  light: ['#A07000', '#1F86C2', '#007A58', '#6A3D9A', '#004F8C', '#D0401A', '#B0508A'],
  dark: ['#E69F00', '#56B4E9', '#1DB38A', '#F0E442', '#3C7FDA', '#F06A2A', '#D98CB8'],
  'high-contrast': ['#FFB000', '#6CC8FF', '#2EE6A8', '#FFF45C', '#5C8CFF', '#FF7A3D', '#FF9ED2'],
  'high-contrast-light': ['#8A5700', '#00609A', '#006046', '#5A2D91', '#003C6E', '#B5200F', '#8E2E6B'],
};

/** Correct / wrong, for the "correct or wrong" colouring (blue and vermillion stay apart for all CVD types). */
const OUTCOME_COLOURS: Readonly<Record<ThemeKind, readonly [string, string]>> = {
  light: ['#004F8C', '#D0401A'],
  dark: ['#3C7FDA', '#F06A2A'],
  'high-contrast': ['#5C8CFF', '#FF7A3D'],
  'high-contrast-light': ['#003C6E', '#B5200F'],
};

/** The typical editor background per kind, for the contrast test and SVG exports without a theme. */
export const THEME_BACKGROUND: Readonly<Record<ThemeKind, string>> = {
  light: '#ffffff',
  dark: '#1e1e1e',
  'high-contrast': '#000000',
  'high-contrast-light': '#ffffff',
};

/** VS Code marks the theme kind with a class on <body>. */
export function themeKindOf(bodyClasses: { contains(token: string): boolean }): ThemeKind {
  if (bodyClasses.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (bodyClasses.contains('vscode-high-contrast')) return 'high-contrast';
  if (bodyClasses.contains('vscode-light')) return 'light';
  return 'dark';
}

/** n class colours (cycled beyond 7, for datasets with more classes). */
export function classColours(kind: ThemeKind, n: number): string[] {
  const base = CLASS_COLOURS[kind];
  return Array.from({ length: n }, (_, i) => base[i % base.length]);
}

export function outcomeColours(kind: ThemeKind): readonly [string, string] {
  return OUTCOME_COLOURS[kind];
}

/**
 * Both right, only A, only B, both wrong: bluish green, sky blue, reddish purple and vermillion,
 * Okabe–Ito hues already tuned per theme for the class colours (so they keep the same contrast).
 */
export function agreementColours(kind: ThemeKind): readonly [string, string, string, string] {
  const c = CLASS_COLOURS[kind];
  return [c[2], c[1], c[6], OUTCOME_COLOURS[kind][1]];
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)].sort((p, q) => q - p);
  return (la + 0.05) / (lb + 0.05);
}

export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function parseHex(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}
