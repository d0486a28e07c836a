/** Figures from the degree plots: one SVG document stacking the three plots, and its PNG. */
export function composeSvg(svgs: readonly SVGSVGElement[], width: number, background: string): { text: string; width: number; height: number } {
  let y = 0;
  const parts: string[] = [];
  for (const svg of svgs) {
    const h = Number(svg.getAttribute('height') ?? 0);
    parts.push(`<g transform="translate(0,${y})">${svg.innerHTML}</g>`);
    y += h;
  }
  const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}"><rect width="100%" height="100%" fill="${background}"/>${parts.join('')}</svg>`;
  return { text, width, height: y };
}

/** Rasterises an SVG document through an <img> (data: URLs are allowed by the panel's CSP). */
export function svgToPng(svg: string, width: number, height: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      const scale = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d')!;
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      resolve(canvas.toDataURL('image/png'));
    };
    img.onerror = () => reject(new Error('could not rasterise the SVG'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
}
