// Types of ignorers.mjs (plain JS, since Stryker loads it before any TypeScript hook).
interface BabelNode { type: string; [key: string]: unknown }
export declare const REASONS: Readonly<{ logLine: string; helpText: string; verdictReason: string; abortOnce: string; bookkeeping: string }>;
export declare function onlyLogs(node: BabelNode | null | undefined): boolean;
export declare function isHelpText(node: BabelNode | null | undefined): boolean;
export declare function isVerdictReason(node: BabelNode | null | undefined, parent: BabelNode | null | undefined): boolean;
export declare function isAbortOnce(node: BabelNode | null | undefined, parent: BabelNode | null | undefined): boolean;
export declare function isBookkeeping(node: BabelNode | null | undefined): boolean;
export declare const strykerPlugins: ReadonlyArray<{ kind: string; name: string; value: { shouldIgnore(path: { node: BabelNode; parent?: BabelNode }): string | undefined } }>;
