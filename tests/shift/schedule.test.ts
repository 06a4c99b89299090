import { expect } from "chai";
import fc from "fast-check";
import { ConfigError } from "../../components/internal/errors";
import { ScheduleRequest, planSchedule, shareOf, stepWeights } from "../../cli/shift/schedule";

const key = "alb-fleet:network";
const request = (over: Partial<ScheduleRequest>): ScheduleRequest => ({
    target: "green",
    services: [],
    steps: [10, 50, 100],
    key,
    weights: { api: { blue: 100, green: 0 }, web: { blue: 100, green: 0 } },
    clusters: { blue: { retiring: false }, green: { retiring: false } },
    ...over,
});

describe("shift schedule", () => {
    it("gives the target each step's share and the others the rest (blue 100 -> green 10 is blue 90 / green 10)", () => {
        const s = planSchedule(request({}));
        expect(s.services).to.deep.equal(["api", "web"]);
        expect(s.steps.map(x => [x.percent, x.weights.web])).to.deep.equal([
            [10, { blue: 90, green: 10 }],
            [50, { blue: 50, green: 50 }],
            [100, { blue: 0, green: 100 }],
        ]);
    });

    it("keeps the others' proportions and the total (three clusters, integer weights by largest remainder)", () => {
        expect(stepWeights({ a: 60, b: 30, c: 10 }, "c", 50)).to.deep.equal({ a: 33, b: 17, c: 50 });
        expect(stepWeights({ a: 1, b: 1, c: 1 }, "c", 50)).to.deep.equal({ a: 1, b: 0, c: 2 });
        expect(stepWeights({ blue: 3, green: 1 }, "green", 100)).to.deep.equal({ blue: 0, green: 4 });
    });

    it("selects the services the target runs when none is named, and only the named ones otherwise", () => {
        const weights = { api: { blue: 100, green: 0 }, web: { blue: 100 }, admin: { blue: 5, green: 0 } };
        expect(planSchedule(request({ weights })).services).to.deep.equal(["admin", "api"]);
        expect(planSchedule(request({ weights, services: ["api"] })).services).to.deep.equal(["api"]);
    });

    const refusals: Array<[string, Partial<ScheduleRequest>, string]> = [
        ["an unknown cluster", { target: "purple" }, `--to: got "purple"; expected a cluster of ${key}.clusters: "blue", "green"`],
        [
            "a retiring target",
            { clusters: { blue: { retiring: false }, green: { retiring: true } } },
            `--to: got "green"; ${key}.clusters.green.retiring is true: a retiring cluster gets no weight (set it to false first if the cluster is to serve again)`,
        ],
        ["an unknown service", { services: ["shop"] }, `--service: got "shop"; expected a service of ${key}.services: "api", "web"`],
        [
            "a service the target does not run",
            { services: ["web"], weights: { api: { blue: 100, green: 0 }, web: { blue: 100 } } },
            `--service: got "web"; ${key}.clusters.green.services does not list web: cluster green does not run it, so it has no target group to take its traffic`,
        ],
        [
            "a service without weight",
            { weights: { api: { blue: 0, green: 0 }, web: { blue: 100, green: 0 } } },
            `${key}.services.api: got {"blue":0,"green":0}; every cluster's weight is 0 (the rule answers 503): there is no traffic to shift; give a cluster weight first`,
        ],
        [
            "a step below the target's share now",
            { steps: [10, 100], weights: { api: { blue: 50, green: 50 }, web: { blue: 100, green: 0 } } },
            `--steps: got "10,100"; step 10 is below green's current share of service api (50%): a shift only moves traffic to the target; start above 50 (or choose services with --service)`,
        ],
        [
            "a weight above 999",
            { steps: [60, 100], weights: { api: { blue: 999, green: 999 }, web: { blue: 100, green: 0 } } },
            `${key}.services.api: got {"blue":999,"green":999}; the last step would give green weight 1998 (a shift keeps the service's total weight, 1998), and a weight is at most 999: lower every weight of the service in the same proportion first`,
        ],
        [
            "a step that changes nothing",
            { steps: [1, 2, 100], weights: { api: { blue: 10, green: 0 }, web: { blue: 10, green: 0 } } },
            `--steps: got "1,2,100"; step 1 changes no weight of api, web (api: blue 10 green 0; web: blue 10 green 0): drop it`,
        ],
    ];
    for (const [what, over, message] of refusals) {
        it(`refuses ${what}, naming the option or config path`, () => {
            expect(() => planSchedule(request(over)))
                .to.throw(ConfigError, message)
                .with.property("message", message);
        });
    }

    const weightMap = fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.integer({ min: 0, max: 200 }), { minKeys: 1 });
    const steps = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }).map(xs => [...xs].sort((x, y) => x - y));

    it("property: every step keeps the total weight, the target's weight never falls, the others keep their proportion (within rounding)", () => {
        fc.assert(
            fc.property(weightMap, fc.constantFrom("a", "b", "c", "d"), steps, (current, target, percents) => {
                const weights = { ...current, [target]: current[target] ?? 0 };
                const total = Object.values(weights).reduce((x, y) => x + y, 0);
                const others = Object.keys(weights).filter(c => c !== target);
                const base = others.reduce((sum, c) => sum + weights[c], 0);
                let previous = -1;
                for (const p of percents) {
                    const next = stepWeights(weights, target, p);
                    expect(Object.values(next).reduce((x, y) => x + y, 0)).to.equal(total);
                    expect(Object.keys(next).sort()).to.deep.equal(Object.keys(weights).sort());
                    expect(next[target]).to.equal(base === 0 ? total : Math.round((total * p) / 100));
                    expect(next[target]).to.be.at.least(previous);
                    previous = next[target];
                    const rest = total - next[target];
                    for (const c of others) {
                        const exact = base === 0 ? 0 : (rest * weights[c]) / base;
                        expect(Math.abs(next[c] - exact), `${c} of ${JSON.stringify(weights)} at ${p}`).to.be.below(1);
                    }
                    expect(Object.values(next).every(w => Number.isInteger(w) && w >= 0)).to.equal(true);
                }
            }),
        );
    });

    it("property: a planned schedule's target share rises with the steps and ends at the last step", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 400 }), steps, (blue, red, percents) => {
                const r = request({
                    steps: percents,
                    services: ["api"],
                    weights: { api: { blue, red, green: 0 } },
                    clusters: { blue: { retiring: false }, red: { retiring: false }, green: { retiring: false } },
                });
                let plan;
                try {
                    plan = planSchedule(r);
                } catch (e) {
                    expect((e as Error).message).to.match(/changes no weight/);
                    return;
                }
                const shares = plan.steps.map(s => shareOf(s.weights.api, "green"));
                shares.forEach((s, i) => expect(s).to.be.at.least(i === 0 ? 0 : shares[i - 1]));
                expect(Math.abs(shares[shares.length - 1] - percents[percents.length - 1])).to.be.below(100 / (blue + red) + 1e-9);
            }),
        );
    });
});
