import { expect } from "chai";
import { SslPolicies } from "../../components/shared-alb/validate-edge";
import { runRole } from "../../stacks/programs";
import { exampleStackConfig } from "../fixtures/stack-config";
import { ValuePath, findSecretPaths } from "../../cli/plan/secrets";
import { run, runError, runRefused, secretValue } from "../harness";
import * as validate from "../../components/shared-alb/validate";

/** Counts the calls of the readers of the SharedAlb arguments while `body` runs. */
async function countReads(body: () => Promise<unknown>): Promise<Record<string, number>> {
    const module = validate as unknown as Record<string, (...a: unknown[]) => unknown>;
    const names = ["planSharedAlbArgs", "readSharedAlbInputs", "validateSharedAlbArgs"];
    const originals = Object.fromEntries(names.map(n => [n, module[n]]));
    const counts: Record<string, number> = Object.fromEntries(names.map(n => [n, 0]));
    for (const n of names) {
        module[n] = (...a: unknown[]) => {
            counts[n] += 1;
            return originals[n](...a);
        };
    }
    try {
        await body();
    } finally {
        Object.assign(module, originals);
    }
    return counts;
}

describe("network stack (stacks/config/Pulumi.network.yaml)", () => {
    it("builds the example fleet's pet ALB and exports the outputs contract", async () => {
        const r = await run(runRole, { stack: "network", config: exampleStackConfig("network") });
        expect(r.get("shared-alb:index:SharedAlb", "shared-alb").parent).to.equal(
            "urn:pulumi:network::alb-fleet::pulumi:pulumi:Stack::alb-fleet-network",
        );
        expect(r.get("aws:lb/loadBalancer:LoadBalancer", "shared-alb-alb").options.protect).to.equal(true);
        expect(Object.keys(r.outputs).sort()).to.deep.equal([
            "accountId",
            "clusters",
            "loadBalancer",
            "preview",
            "region",
            "securityGroupId",
            "services",
            "vpcId",
            "vpcSharing",
        ]);
        expect(r.outputs.accountId).to.equal("111111111111");
        expect(r.outputs.region).to.equal("eu-west-1");
        expect(Object.keys(r.outputs.clusters)).to.deep.equal(["blue", "green"]);
        expect(r.outputs.clusters.blue.registrarRoleArn).to.equal("arn:aws:iam::111111111111:role/shop-edge-registrar-blue");
        expect(r.outputs.clusters.green.registrarRoleArn).to.equal(undefined);
        expect(r.outputs.vpcSharing.principals).to.deep.equal(["222222222222"]);
        expect(r.outputs.vpcSharing.subnetIds).to.deep.equal(["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]);
        // Preview routes are on in the example: one rule per cluster and service, listed by service in the outputs.
        expect(r.outputs.preview).to.deep.equal({
            header: "x-shared-alb-cluster",
            sourceCidrs: ["203.0.113.0/24"],
            tokenRequired: false,
            defaultActionRuleArns: {},
        });
        expect(Object.keys(r.outputs.services.web.previewRuleArns).sort()).to.deep.equal(["blue", "green"]);
        const rules = r
            .ofType("aws:lb/listenerRule:ListenerRule")
            .map(x => [x.name, x.inputs.priority])
            .sort((a, b) => (a[1] as number) - (b[1] as number));
        expect(rules).to.deep.equal([
            ["shared-alb-preview-api-blue", 31743],
            ["shared-alb-preview-api-green", 31744],
            ["shared-alb-rule-api", 31750],
            ["shared-alb-preview-web-blue", 44013],
            ["shared-alb-preview-web-green", 44014],
            ["shared-alb-rule-web", 44020],
        ]);
    });

    it("reads its config once as the plan and once as the plan's inputs, with no other pass", async () => {
        const counts = await countReads(() => run(runRole, { stack: "network", config: exampleStackConfig("network") }));
        expect(counts).to.deep.equal({ planSharedAlbArgs: 1, readSharedAlbInputs: 1, validateSharedAlbArgs: 0 });
    });

    it("reads its own last outputs through a stack reference to itself and keeps the priorities and preview slots they record", async () => {
        const self = "organization/alb-fleet/network";
        const deployed = {
            services: { web: { priority: 44500 }, api: { priority: 31750 }, gone: { priority: 44020 } },
            clusters: { blue: { previewSlot: 7 }, green: { previewSlot: 4, externalId: "not read" }, old: { previewSlot: 3 } },
        };
        const r = await run(runRole, {
            stack: "network",
            config: exampleStackConfig("network", c => {
                c.clusters.red = { accountId: "111111111111" };
            }),
            stackOutputs: { [self]: deployed },
        });
        expect(r.get("pulumi:pulumi:StackReference", "deployed-allocation").inputs.name).to.equal(self);
        const rules = r
            .ofType("aws:lb/listenerRule:ListenerRule")
            .map(x => [x.name, x.inputs.priority])
            .sort((a, b) => (a[1] as number) - (b[1] as number));
        // web and api stay; red's digest picks 4 (green's), and 3 and 7 are held (old's rules are deleted only at the end): it takes 1.
        expect(rules).to.deep.equal([
            ["shared-alb-preview-api-red", 31741],
            ["shared-alb-preview-api-green", 31744],
            ["shared-alb-preview-api-blue", 31747],
            ["shared-alb-rule-api", 31750],
            ["shared-alb-preview-web-red", 44491],
            ["shared-alb-preview-web-green", 44494],
            ["shared-alb-preview-web-blue", 44497],
            ["shared-alb-rule-web", 44500],
        ]);
        expect([r.outputs.services.web.priority, r.outputs.clusters.red.previewSlot]).to.deep.equal([44500, 1]);
    });

    it("refuses deployedAllocation in its config: it reads it from its own outputs", async () => {
        const { error, run: r } = await runRefused(runRole, {
            stack: "network",
            config: exampleStackConfig("network", c => {
                c.deployedAllocation = { priorities: { web: 1010 } };
            }),
        });
        expect(error.message).to.contain(
            'deployedAllocation: got {"priorities":{"web":1010}}; the network stack reads it from its own outputs (the last update\'s priorities and preview slots): remove it from alb-fleet:network',
        );
        expect(r.resources.map(x => x.type)).to.deep.equal([]);
    });

    it("exports blue's generated external ID as a secret of its own, the rest of the contract in clear", async () => {
        let secretPaths: ValuePath[] = [];
        const r = await run(
            async () => {
                const raw = await runRole();
                secretPaths = await findSecretPaths(raw);
                return raw;
            },
            { stack: "network", config: exampleStackConfig("network") },
        );
        expect(secretPaths).to.deep.equal([["clusters", "blue", "externalId"]]);
        const id = secretValue(r.get("random:index/randomPassword:RandomPassword", "shared-alb-external-id-blue").outputs.result);
        expect(r.outputs.clusters.blue.externalId).to.equal(id);
        const trust = JSON.parse(secretValue(r.get("aws:iam/role:Role", "shared-alb-registrar-blue").inputs.assumeRolePolicy));
        expect(trust.Statement[0].Condition.StringEquals["sts:ExternalId"]).to.equal(id);
    });

    it("keeps a configured external ID and preview token secret, though the config key is read as an object", async () => {
        const token = "0123456789abcdef0123456789abcdef";
        const config = exampleStackConfig("network", c => {
            c.clusters.blue.externalId = "ext-blue-from-config";
            c.preview.token = token;
        });
        let secretPaths: ValuePath[] = [];
        const r = await run(
            async () => {
                const raw = await runRole();
                secretPaths = await findSecretPaths(raw);
                return raw;
            },
            { stack: "network", config },
        );
        expect(secretPaths).to.deep.equal([["clusters", "blue", "externalId"]]);
        expect(r.ofType("random:index/randomPassword:RandomPassword")).to.deep.equal([]);
        expect(r.outputs.clusters.blue.externalId).to.equal("ext-blue-from-config");
        const trust = JSON.parse(secretValue(r.get("aws:iam/role:Role", "shared-alb-registrar-blue").inputs.assumeRolePolicy));
        expect(trust.Statement[0].Condition.StringEquals["sts:ExternalId"]).to.equal("ext-blue-from-config");
        const header = (r.get("aws:lb/listenerRule:ListenerRule", "shared-alb-preview-web-green").inputs.conditions as any[])[1].httpHeader;
        expect(secretValue(header.values[0])).to.equal(`green.${token}`);
        expect(r.outputs.preview).to.deep.include({ tokenRequired: true });
        expect(JSON.stringify(r.outputs)).to.not.include(token);
    });

    const refusals: [string, (c: Record<string, any>) => void, string][] = [
        [
            "a bad weight, with the config path",
            c => {
                c.clusters.blue.weight = 1000;
            },
            "clusters.blue.weight: got 1000; expected an integer from 0 to 999",
        ],
        [
            "plain HTTP on the internet-facing example ALB",
            c => {
                delete c.loadBalancer.certificateArns;
            },
            "loadBalancer.certificateArns: got nothing; an internet-facing ALB needs an HTTPS listener: give loadBalancer.certificateArns (ACM certificates), " +
                "or make it internal (loadBalancer.internal: true), or set loadBalancer.allowPlainHttp: true to serve plain HTTP to the internet",
        ],
        [
            "a TLS 1.0 policy",
            c => {
                c.loadBalancer.sslPolicy = "ELBSecurityPolicy-2016-08";
            },
            'loadBalancer.sslPolicy: got "ELBSecurityPolicy-2016-08"; expected an ELB security policy whose lowest protocol is TLS 1.2 or 1.3 (TLS 1.0 and 1.1 are refused): one of ' +
                SslPolicies.join(", "),
        ],
        [
            "sharing the ALB's own subnet",
            c => {
                c.vpcSharing.subnetIds = ["subnet-0a1b2c3d4e5f60001"];
            },
            'vpcSharing.subnetIds[0]: got "subnet-0a1b2c3d4e5f60001"; is the ALB\'s own subnet (subnetIds[0]): sharing it lets the cluster accounts run instances beside the ALB; ' +
                "share the private subnets the clusters' nodes and pods use instead",
        ],
        [
            "sharing with a whole organization unacknowledged",
            c => {
                c.vpcSharing.principals = ["arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5"];
            },
            'vpcSharing.principals[0]: got "arn:aws:organizations::999999999999:organization/o-a1b2c3d4e5"; an organization or OU principal shares the subnets and the VPC ' +
                "with every account in it, today's and future ones: list the cluster accounts instead, or set vpcSharing.allowOrganizationPrincipals: true to accept that",
        ],
        [
            "instance targets for the cross-account cluster blue",
            c => {
                c.services.api.targetType = "instance";
            },
            'services.api.targetType: got "instance"; cluster blue is in account 222222222222, not the ALB\'s 111111111111: its TargetGroupBindings assume the ' +
                'registrar role (iamRoleArnToAssume), and the AWS Load Balancer Controller\'s webhook rejects "instance" targets with an assumed role; ' +
                'expected "ip" for cluster blue: set clusters.blue.serviceOverrides.api.targetType: ip for this cluster, or targetType: ip here for every cluster',
        ],
    ];
    for (const [what, edit, message] of refusals) {
        it(`refuses ${what} before registering anything but its own stack reference`, async () => {
            const { error, run: r } = await runRefused(runRole, { stack: "network", config: exampleStackConfig("network", edit) });
            expect(error.message).to.equal(message);
            // The reference reads the stack's last outputs; nothing is created.
            expect(r.resources.map(x => [x.type, x.name])).to.deep.equal([["pulumi:pulumi:StackReference", "deployed-allocation"]]);
        });
    }

    it("refuses an unknown role", async () => {
        const err = await runError(runRole, { stack: "network", config: { "alb-fleet:role": "edge" } });
        expect(err.message).to.equal('role: got "edge"; expected one of "network", "cluster" (config key alb-fleet:role)');
    });
});
