import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { GoldenDir, GoldenFiles, renderPlan } from "./golden";

// The example fleet's plan must not change by accident: every byte of `plan`
// and `plan --json` is compared with tests/cli/golden/ (`npm run golden`
// rewrites them when a change is intended; see docs/development.md).
describe("shared-alb plan over the example fleet, against the golden files", function () {
    this.timeout(120000);

    for (const [file, args] of Object.entries(GoldenFiles)) {
        const command = ["plan", ...args].join(" ");
        it(`${command} prints tests/cli/golden/${file} byte for byte`, async () => {
            const want = fs.readFileSync(path.join(GoldenDir, file), "utf8");
            const got = await renderPlan(args);
            if (got !== want) {
                const a = got.split("\n");
                const b = want.split("\n");
                const line = a.findIndex((l, i) => l !== b[i]);
                expect.fail(
                    `${command} differs from ${file} from line ${line + 1} on:\n` +
                        `  got:  ${JSON.stringify(a[line])}\n  want: ${JSON.stringify(b[line])}\n` +
                        `(${a.length} lines against ${b.length}; if the change is intended, run npm run golden and review the diff)`,
                );
            }
        });
    }
});
