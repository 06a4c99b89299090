/**
 * The process surface a CLI command talks to. `cli/index.ts` passes the real
 * process streams and environment; tests pass captured ones, so every command
 * runs in-process without touching `process` directly.
 */
export interface CliIo {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
    stdin: NodeJS.ReadableStream;
    env: NodeJS.ProcessEnv;
    cwd: string;
}
