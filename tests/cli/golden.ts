// The example fleet's plan, as `shared-alb plan` and `plan --json` print it,
// kept in tests/cli/golden/. `npm run golden` rewrites the files from the
// current code: run it only when a change of the output is intended, and
// review the diff it leaves.
import * as fs from "fs";
import * as path from "path";
import { main as plan } from "../../cli/plan/command";
import { captureIo } from "./helpers";

const root = path.resolve(__dirname, "../..");

/** The golden files, by name, and the `plan` arguments that print each. */
export const GoldenFiles: Readonly<Record<string, string[]>> = {
    "plan.txt": [],
    "plan.json": ["--json"],
};

export const GoldenDir = path.join(__dirname, "golden");

/** What `shared-alb plan <args>` prints over stacks/config, run from the repository root. */
export async function renderPlan(args: string[]): Promise<string> {
    const io = captureIo(root);
    const code = await plan(args, io);
    if (code !== 0 || io.err() !== "") {
        throw new Error(`plan ${args.join(" ")} exited ${code}:\n${io.err()}`);
    }
    return io.out();
}

async function update(): Promise<void> {
    for (const [file, args] of Object.entries(GoldenFiles)) {
        const text = await renderPlan(args);
        fs.writeFileSync(path.join(GoldenDir, file), text);
        process.stdout.write(`wrote ${path.relative(root, path.join(GoldenDir, file))} (${Buffer.byteLength(text)} bytes)\n`);
    }
}

if (require.main === module) {
    update().catch((e: unknown) => {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
    });
}
