import { expect } from "chai";
import { main as plan } from "../../cli/plan/command";
import { JsonPlan } from "../../cli/plan/render";
import { captureIo } from "./helpers";
import { exampleFleet, writeFleet } from "./lifecycle";

/** The example fleet with `checkout` (shop.example.com /checkout/*) and a path-only `static` (/static/*) beside web and api. */
function fleet(): string {
    const c = exampleFleet();
    const services = c.network["alb-fleet:network"].services;
    services.checkout = { port: 8081, hosts: ["shop.example.com"], paths: ["/checkout/*"], healthCheck: { path: "/healthz" } };
    services.static = { port: 8082, paths: ["/static/*"], healthCheck: { path: "/healthz" } };
    for (const stack of ["cluster-blue", "cluster-green"]) {
        for (const s of ["checkout", "static"]) {
            c[stack]["alb-fleet:cluster"].bindings[s] = { namespace: "shop", service: s, port: 80 };
        }
    }
    return writeFleet(c);
}

async function run(args: string[]): Promise<string> {
    const io = captureIo();
    expect(await plan(args, io), io.err()).to.equal(0);
    return io.out();
}

describe("shared-alb plan: the precedence of overlapping services", function () {
    this.timeout(120_000);

    it("lists, per listener, every two services whose rules overlap with a request both match and the service whose rule answers first (tree and --json)", async () => {
        const dir = fleet();
        const doc = JSON.parse(await run(["--config-dir", dir, "--json"])) as JsonPlan;
        const network = doc.stacks[0];
        const priority = (service: string) =>
            (network.resources.find(r => r.name === `shared-alb-rule-${service}`)!.inputs as { priority: number }).priority;
        const entry = (host: string, path: string, winner: string, loser: string) => ({
            listener: "shared-alb-https",
            request: { host, path },
            winner,
            loser,
            winnerPriority: priority(winner),
            loserPriority: priority(loser),
            shadowedBy: null,
        });
        const expected = [
            entry("shop.example.com", "/checkout/x", "checkout", "web"),
            entry("shop.example.com", "/static/x", "static", "web"),
            entry("shop.example.com", "/api/x", "api", "web"),
        ].sort((a, b) => a.winnerPriority - b.winnerPriority);
        expect(network.precedence).to.deep.equal(expected);
        expect(doc.stacks.slice(1).map(s => s.precedence)).to.deep.equal([[], []]);
        const tree = (await run(["--config-dir", dir])).split("\n");
        const at = tree.indexOf("  precedence (Listener shared-alb-https):");
        // After the output names, before the stack's summary line.
        expect(tree[at - 1]).to.match(/^ {2}outputs: /);
        expect(tree.slice(at, at + 4)).to.deep.equal([
            "  precedence (Listener shared-alb-https):",
            ...expected.map(
                e =>
                    `    ${e.request.host} ${e.request.path} → ${e.winner} (priority ${e.winnerPriority}) before web (priority ${e.loserPriority})`,
            ),
        ]);
        expect(tree[at + 4]).to.match(/^ {2}network: \d+ resources \(12 ListenerRule, /);
    });

    it("a cluster stack alone (--stack) prints no precedence", async () => {
        const out = await run(["--config-dir", fleet(), "--stack", "cluster-green"]);
        expect(out).to.not.include("precedence");
    });
});
