/** Argument handling shared by `npm run faults` and `npm run soak`: one usage line on bad input, exit 2. */
export function argHelpers(program: string, usage: string) {
  const fail = (message: string): never => {
    process.stderr.write(`${program}: ${message}\n${usage}\n`);
    process.exit(2);
  };
  const wholeNumber = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) fail(`--${name} ${JSON.stringify(raw)} is not a whole number in ${min}..${max}`);
    return Number(raw);
  };
  return { fail, wholeNumber };
}
