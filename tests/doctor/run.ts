import { PassThrough, Readable } from "stream";
import { CliIo } from "../../cli/io";
import { main } from "../../cli/doctor/command";

/** A captured in-process doctor run. */
export interface DoctorRun {
    code: number;
    stdout: string;
    stderr: string;
}

/** Options for {@link runDoctor}: environment, stdin text, TTY flags. */
export interface RunOptions {
    env?: NodeJS.ProcessEnv;
    stdin?: string;
    stdoutTTY?: boolean;
    stderrTTY?: boolean;
    cwd?: string;
}

/** Runs `main(argv, io)` in-process with captured streams. */
export async function runDoctor(argv: string[], options: RunOptions = {}): Promise<DoctorRun> {
    const stdout = new PassThrough() as PassThrough & { isTTY?: boolean };
    const stderr = new PassThrough() as PassThrough & { isTTY?: boolean };
    stdout.isTTY = options.stdoutTTY ?? false;
    stderr.isTTY = options.stderrTTY ?? false;
    let out = "";
    let err = "";
    stdout.on("data", (d: Buffer) => {
        out += d.toString();
    });
    stderr.on("data", (d: Buffer) => {
        err += d.toString();
    });
    const io: CliIo = {
        stdout,
        stderr,
        stdin: Readable.from(options.stdin !== undefined ? [Buffer.from(options.stdin)] : []),
        env: options.env ?? {},
        cwd: options.cwd ?? process.cwd(),
    };
    const code = await main(argv, io);
    await new Promise(resolve => setImmediate(resolve));
    return { code, stdout: out, stderr: err };
}
