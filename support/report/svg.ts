/**
 * Small SVG drawing for report attachments. Cucumber's html report shows `text/html` attachments
 * as markup but `image/*` ones as pictures, so tables and timelines are attached as SVG images.
 * Every text is escaped; sizes are estimated from character counts (monospace), no fonts needed.
 */
export const CHAR_W = 7.2;
export const LINE_H = 18;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export const textWidth = (s: string): number => Math.ceil(s.length * CHAR_W);

export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${x}" y="${y}"${attrs ? ` ${attrs}` : ''}>${escapeXml(s)}</text>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}" stroke="#999"${extra ? ` ${extra}` : ''}/>`;
}

/** A whole SVG document; `title` becomes its accessible name. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="monospace" font-size="12">`
    + `<title>${escapeXml(title)}</title><rect width="100%" height="100%" fill="#fff"/>${body.join('')}</svg>`;
}
