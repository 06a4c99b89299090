import { expect } from "chai";
import * as fc from "fast-check";
import { albTargetPorts, TargetGroupPorts, TargetPortNeed } from "../../components/internal/target-ports";
import { NodePortRange } from "../../components/internal/values";

const traffic = (fromPort: number, toPort: number, reason: string): TargetPortNeed => ({ fromPort, toPort, purpose: "traffic", reason });
const healthCheck = (port: number, reason: string): TargetPortNeed => ({ fromPort: port, toPort: port, purpose: "healthCheck", reason });

describe("albTargetPorts: the ports the ALB must reach on a target group's targets", () => {
    const table: [string, TargetGroupPorts, TargetPortNeed[]][] = [
        [
            "ip: the target port, health checks on it",
            { targetType: "ip", port: 8080 },
            [traffic(8080, 8080, "ip: traffic and health checks")],
        ],
        [
            "ip: a health-check port of its own",
            { targetType: "ip", port: 9000, healthCheckPort: 9001 },
            [traffic(9000, 9000, "ip: traffic"), healthCheck(9001, "ip: health checks")],
        ],
        [
            "ip: a health-check port that is the target port",
            { targetType: "ip", port: 8080, healthCheckPort: 8080 },
            [traffic(8080, 8080, "ip: traffic and health checks")],
        ],
        [
            "ip: a NodePort is not an ip target's port",
            { targetType: "ip", port: 8080, nodePort: 31080 },
            [traffic(8080, 8080, "ip: traffic and health checks")],
        ],
        [
            "instance: the declared NodePort",
            { targetType: "instance", port: 80, nodePort: 31080 },
            [traffic(31080, 31080, "instance: NodePort, traffic and health checks")],
        ],
        [
            "instance: the NodePort and a health-check port (kube-proxy's)",
            { targetType: "instance", port: 80, nodePort: 31080, healthCheckPort: 10256 },
            [traffic(31080, 31080, "instance: NodePort, traffic"), healthCheck(10256, "instance: health checks")],
        ],
        [
            "instance: a health-check port that is the NodePort",
            { targetType: "instance", port: 80, nodePort: 31080, healthCheckPort: 31080 },
            [traffic(31080, 31080, "instance: NodePort, traffic and health checks")],
        ],
        [
            "instance: no NodePort declared, so the whole range",
            { targetType: "instance", port: 80 },
            [traffic(30000, 32767, "instance: NodePort range, traffic and health checks")],
        ],
        [
            "instance: the range and a health-check port outside it",
            { targetType: "instance", port: 80, healthCheckPort: 10256 },
            [traffic(30000, 32767, "instance: NodePort range, traffic"), healthCheck(10256, "instance: health checks")],
        ],
        [
            "instance: the range and a health-check port inside it (a Service's healthCheckNodePort)",
            { targetType: "instance", port: 80, healthCheckPort: 31500 },
            [traffic(30000, 32767, "instance: NodePort range, traffic"), healthCheck(31500, "instance: health checks")],
        ],
    ];
    for (const [what, tg, expected] of table) {
        it(what, () => expect(albTargetPorts(tg)).to.deep.equal(expected));
    }

    const port = fc.integer({ min: 1, max: 65535 });
    const targetGroup: fc.Arbitrary<TargetGroupPorts> = fc.record(
        {
            targetType: fc.constantFrom("ip" as const, "instance" as const),
            port,
            nodePort: fc.option(fc.integer({ min: NodePortRange.from, max: NodePortRange.to }), { nil: undefined }),
            healthCheckPort: fc.option(fc.oneof(port, fc.integer({ min: NodePortRange.from, max: NodePortRange.to })), { nil: undefined }),
        },
        { requiredKeys: ["targetType", "port"] },
    );

    it("traffic first, on the port targets are registered on; health checks reach a port that is opened, their own entry unless it is the one traffic port", () => {
        fc.assert(
            fc.property(targetGroup, tg => {
                const [first, ...rest] = albTargetPorts(tg);
                const registeredOn = tg.targetType === "ip" ? tg.port : tg.nodePort;
                expect(first.purpose).to.equal("traffic");
                expect([first.fromPort, first.toPort]).to.deep.equal(
                    registeredOn === undefined ? [NodePortRange.from, NodePortRange.to] : [registeredOn, registeredOn],
                );
                const checkedOn = tg.healthCheckPort ?? registeredOn;
                const ownEntry = tg.healthCheckPort !== undefined && tg.healthCheckPort !== registeredOn;
                expect(rest).to.deep.equal(ownEntry ? [healthCheck(tg.healthCheckPort!, `${tg.targetType}: health checks`)] : []);
                expect(first.reason).to.match(
                    ownEntry
                        ? /^(ip|instance: NodePort( range)?)(: |, )traffic$/
                        : /^(ip|instance: NodePort( range)?)(: |, )traffic and health checks$/,
                );
                if (checkedOn !== undefined) {
                    expect([first, ...rest].some(r => r.fromPort <= checkedOn && checkedOn <= r.toPort)).to.equal(true);
                }
            }),
        );
    });
});
