import { SpawnOptions, spawn } from "child_process";

/** What a child process printed, and how it exited. */
export interface Spawned {
    code: number | null;
    stdout: string;
    stderr: string;
}

/**
 * Runs a command to its end and collects what it prints, without blocking
 * this process (unlike spawnSync): servers the test runs keep answering, and
 * several commands can run side by side.
 */
export function spawnCollect(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<Spawned> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (d: Buffer) => {
            stdout += d.toString();
        });
        child.stderr?.on("data", (d: Buffer) => {
            stderr += d.toString();
        });
        child.on("error", reject);
        child.on("close", code => resolve({ code, stdout, stderr }));
    });
}
