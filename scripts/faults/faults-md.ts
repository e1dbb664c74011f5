/**
 * The catalogue of seeded faults, read from `sim/FAULTS.md` (the authoritative list for people) and
 * cross-checked against what the target itself accepts, so a fault added to one and not the other
 * is a loud error rather than a silently untested regression.
 */

export interface CatalogedFault {
  name: string;
  /** The `## ...` heading the fault's table sits under. */
  section: string;
  /**
   * The Lattice API version the fault acts at: the one its section names (`## API version 2026-04: ...`),
   * else 2026-01, the version of the sections written before versions existed.
   */
  version: string;
  /** The "A correct suite must observe" cell, for the matrix's reader. */
  observe: string;
}

/** Splits a Markdown table row into its cells (outer pipes dropped, `\|` kept as a literal pipe). */
export function tableCells(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return body.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/**
 * Every fault of a FAULTS.md text: the rows of the tables whose header's first cell is `Fault`,
 * named by the backticked name in the first cell. Throws on a repeated name or an empty catalogue.
 */
/** The version of sections that name none (written before the suite spoke two versions). */
export const UNNAMED_SECTION_VERSION = '2026-01';

/** `API version 2026-04: Cedar` → `2026-04`; undefined for a heading that names no version. */
export function sectionVersion(heading: string): string | undefined {
  return /\bAPI version (\d{4}-\d{2})\b/i.exec(heading)?.[1];
}

export function parseFaultsMarkdown(text: string): CatalogedFault[] {
  const out: CatalogedFault[] = [];
  let section = '';
  let version = UNNAMED_SECTION_VERSION;
  let inFaultTable = false;
  let observeColumn = -1;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^#{2,}\s+(.*)$/.exec(line);
    if (heading) {
      section = heading[1]!.trim();
      // A `##` heading starts a new version scope; deeper headings stay in their `##`'s version.
      if (/^##\s/.test(line)) version = sectionVersion(section) ?? UNNAMED_SECTION_VERSION;
      inFaultTable = false;
      continue;
    }
    if (!line.startsWith('|')) { inFaultTable = false; continue; }
    const cells = tableCells(line);
    if (!inFaultTable) {
      if (cells[0]?.toLowerCase() === 'fault') {
        inFaultTable = true;
        observeColumn = cells.findIndex((c) => /observe/i.test(c));
      }
      continue;
    }
    if (cells.every((c) => /^:?-{3,}:?$/.test(c))) continue; // the |---| separator
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (!name) throw new Error(`sim/FAULTS.md: a row of the "${section}" fault table has no backticked fault name: ${line}`);
    if (out.some((f) => f.name === name)) throw new Error(`sim/FAULTS.md: fault "${name}" is listed twice`);
    out.push({ name, section, version, observe: observeColumn >= 0 ? (cells[observeColumn] ?? '') : '' });
  }
  if (out.length === 0) throw new Error('sim/FAULTS.md: no fault table found (a table whose first header cell is "Fault")');
  return out;
}

/**
 * The names in the target's refusal of an unknown fault
 * (`unknown fault "x" in LATTICE_SIM_FAULTS; known faults: a, b, c`), or undefined when the text
 * carries no such list.
 */
export function parseKnownFaults(text: string): string[] | undefined {
  const m = /known faults:\s*([^\n]*)/i.exec(text);
  if (!m) return undefined;
  return m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Names on one side only; both empty means the document and the target agree. */
export function compareCatalogues(documented: readonly string[], target: readonly string[]): { undocumented: string[]; unknownToTarget: string[] } {
  const doc = new Set(documented);
  const tgt = new Set(target);
  return {
    undocumented: target.filter((n) => !doc.has(n)),
    unknownToTarget: documented.filter((n) => !tgt.has(n)),
  };
}
