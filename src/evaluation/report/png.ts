import { Resvg } from '@resvg/resvg-js';

/** A chart's SVG rasterised to PNG at twice its size (sharp on high-density screens and in documents). */
export function chartPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans' },
  });
  return resvg.render().asPng();
}
