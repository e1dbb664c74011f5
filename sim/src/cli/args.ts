/**
 * A small clap-like argument parser, so bad input gets the upstream CLI's messages and exit code 2:
 * "error: unexpected argument '--x' found", "the following required arguments were not provided".
 */
export interface FlagSpec {
  long: string;
  short?: string;
  /** Placeholder for flags taking a value, e.g. 'FILE'; absent for switches. */
  value?: string;
  required?: boolean;
  possible?: string[];
  env?: string;
  help: string;
  default?: string;
}

export interface CommandSpec { name: string; about: string; usage: string; flags: FlagSpec[] }

export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) { super(message); }
  render(): string {
    return `error: ${this.message}\n\n${this.usage ? `Usage: ${this.usage}\n\n` : ''}For more information, try '--help'.\n`;
  }
}

export type Parsed = Record<string, string | boolean | undefined>;

const flagLabel = (f: FlagSpec) => `--${f.long}${f.value ? ` <${f.value}>` : ''}`;

export function parseFlags(spec: CommandSpec, argv: string[], env: NodeJS.ProcessEnv = process.env): Parsed {
  const out: Parsed = {};
  const byLong = new Map(spec.flags.map((f) => [f.long, f]));
  const byShort = new Map(spec.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let flag: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const [name, v] = arg.slice(2).split(/=(.*)/s, 2);
      flag = byLong.get(name);
      inline = v;
    } else if (arg.startsWith('-') && arg.length > 1) {
      flag = byShort.get(arg.slice(1, 2));
      if (flag && arg.length > 2) inline = arg.slice(2).replace(/^=/, '');
    }
    if (!flag) throw new UsageError(`unexpected argument '${arg}' found`, spec.usage);
    if (!flag.value) {
      if (inline !== undefined) throw new UsageError(`unexpected value '${inline}' for '--${flag.long}' found; no more were expected`, spec.usage);
      out[flag.long] = true;
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined || (inline === undefined && v.startsWith('-') && v !== '-')) {
      throw new UsageError(`a value is required for '${flagLabel(flag)}' but none was supplied`, spec.usage);
    }
    if (flag.possible && !flag.possible.includes(v)) {
      throw new UsageError(`invalid value '${v}' for '${flagLabel(flag)}'\n  [possible values: ${flag.possible.join(', ')}]`);
    }
    out[flag.long] = v;
  }
  for (const f of spec.flags) {
    if (out[f.long] === undefined && f.env && env[f.env]) out[f.long] = f.value ? env[f.env] : true;
    if (out[f.long] === undefined && f.default !== undefined) out[f.long] = f.default;
  }
  const missing = spec.flags.filter((f) => f.required && out[f.long] === undefined);
  if (missing.length) {
    throw new UsageError(`the following required arguments were not provided:\n${missing.map((f) => `  ${flagLabel(f)}`).join('\n')}`, spec.usage);
  }
  return out;
}

export function helpText(spec: CommandSpec): string {
  const rows = spec.flags.map((f) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}${flagLabel(f)}`;
    const extra = [f.env ? `[env: ${f.env}=]` : '', f.default !== undefined ? `[default: ${f.default}]` : '', f.possible ? `[possible values: ${f.possible.join(', ')}]` : ''].filter(Boolean).join(' ');
    return `  ${left.padEnd(44)} ${f.help}${extra ? ' ' + extra : ''}`;
  });
  return `${spec.about}\n\nUsage: ${spec.usage}\n\nOptions:\n${rows.join('\n')}\n  -h, --help${' '.repeat(36)}Print help\n`;
}
