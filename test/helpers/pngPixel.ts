import { inflateSync } from 'node:zlib';

/**
 * The one pixel of a 1×1 PNG (a Playwright screenshot clip) as RGBA. With a single pixel every
 * PNG filter predicts from zeros, so the filtered bytes are the pixel itself.
 */
export function pngPixel(png: Buffer): number[] {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let colourType = -1;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      if (body.readUInt32BE(0) !== 1 || body.readUInt32BE(4) !== 1 || body[8] !== 8) throw new Error('pngPixel reads 1×1 8-bit PNGs only');
      colourType = body[9];
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data)); // filter byte, then the pixel
  if (colourType === 6) return [raw[1], raw[2], raw[3], raw[4]];
  if (colourType === 2) return [raw[1], raw[2], raw[3], 255];
  throw new Error(`pngPixel: PNG colour type ${colourType} is not RGB or RGBA`);
}
