import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { writeFleet } from "../../bench/plan";
import { main as plan } from "../../cli/plan/command";
import { validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { captureIo } from "./helpers";

// The synthetic fleets `npm run bench` plans must be fleets the plan accepts:
// a bench that only measures how fast a config error is printed measures nothing.
describe("npm run bench: its synthetic fleets", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

    for (const n of [1, 10, 50, 100]) {
        it(`${n} cluster${n === 1 ? "" : "s"}: a network config within the ALB's limits (forward actions, target groups, rules)`, () => {
            const dir = writeFleet(n);
            dirs.push(dir);
            const doc = parse(fs.readFileSync(path.join(dir, "Pulumi.network.yaml"), "utf8")) as { config: Record<string, unknown> };
            const model = validateSharedAlbArgs({ ...(doc.config["alb-fleet:network"] as object), region: doc.config["aws:region"] });
            expect(Object.keys(model.clusters)).to.have.length(n);
            expect(fs.readdirSync(dir).filter(f => f.startsWith("Pulumi.cluster-"))).to.have.length(n);
        });
    }

    it("10 clusters: every stack plans", async function () {
        this.timeout(120000);
        const dir = writeFleet(10);
        dirs.push(dir);
        const io = captureIo(dir);
        expect(await plan(["--json", "--config-dir", dir], io), io.err()).to.equal(0);
        expect((JSON.parse(io.out()) as { stacks: unknown[] }).stacks).to.have.length(11);
    });
});
