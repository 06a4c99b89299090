import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

// `shift --dry-run` needs no AWS: it must load no AWS SDK module, so it also
// runs where `npm install --omit=optional` left the SDK out.
const root = path.resolve(__dirname, "../..");

const Script = `
const { PassThrough } = require("stream");
const { run } = require("./cli/index");
(async () => {
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", d => { out += d; });
    const io = { stdout, stderr: process.stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd() };
    const code = await run(["shift", "--to", "green", "--steps", "10,100", "--dry-run"], io);
    const sdk = Object.keys(require.cache).filter(f => f.includes("@aws-sdk") || f.includes("@smithy"));
    process.stdout.write(JSON.stringify({ code, out, sdk }));
})().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exitCode = 1; });
`;

describe("shift --dry-run loads no AWS SDK", function () {
    this.timeout(120_000);
    it("prints the schedule with no @aws-sdk or @smithy module loaded", () => {
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", Script], { cwd: root, encoding: "utf8" });
        expect(r.status, r.stderr).to.equal(0);
        const result = JSON.parse(r.stdout) as { code: number; out: string; sdk: string[] };
        expect(result.code).to.equal(0);
        expect(result.out).to.include("    10%        blue 90 green 10\n");
        expect(result.sdk).to.deep.equal([]);
    });
});
