/**
 * Collects every bad variable found while loading the configuration, so one run of the suite
 * reports all of them at once instead of one per attempt.
 */
import { ConfigError } from '../errors.js';

export class ConfigProblems {
  private readonly lines: string[] = [];

  /** Records `NAME="value" <reason>`; the reason says what is accepted. */
  add(name: string, value: string, reason: string): void {
    this.lines.push(`${name}=${JSON.stringify(value)} ${reason}`);
  }

  /** Records a problem that involves several variables and has its own wording. */
  addLine(line: string): void {
    this.lines.push(line);
  }

  get count(): number {
    return this.lines.length;
  }

  /** Throws one ConfigError whose single line lists every problem, joined with '; '. */
  throwIfAny(): void {
    if (this.lines.length === 0) return;
    const noun = this.lines.length === 1 ? 'setting' : 'settings';
    throw new ConfigError(`bad ${noun}: ${this.lines.join('; ')}`, 'see support/config/VARIABLES.md');
  }
}
