import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Shared look: a readable font size and the page's own background. */
const CONFIG = {
  background: 'white',
  font: 'Liberation Sans, Arial, Helvetica, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11 },
  header: { labelFontSize: 12 },
};

/**
 * A Vega-Lite spec rendered to a standalone SVG string in Node (no DOM, no canvas): Vega's headless view
 * with its SVG renderer, so the report opens offline and the same SVG can be rasterised to PNG.
 */
export async function renderSvg(spec: Readonly<Record<string, unknown>>): Promise<string> {
  const { spec: vegaSpec } = compile({ config: CONFIG, ...spec } as unknown as TopLevelSpec);
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
