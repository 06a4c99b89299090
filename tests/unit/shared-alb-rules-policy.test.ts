import { expect } from "chai";
import { registrarPermissions, registrarTrustPolicy } from "../../components/shared-alb/policy";
import { listenerPlan, previewHeaderValue, ruleConditions } from "../../components/shared-alb/rules";
import { validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs } from "../fixtures/network";

describe("listenerPlan", () => {
    it("puts the rules on HTTPS when certificates exist, forwarding to every cluster that runs the service, weight 0 included", () => {
        const args = exampleNetworkArgs();
        args.services.api.priority = 10;
        args.services.api.weights = { green: 25 };
        args.services.api.stickiness = { duration: 3600 };
        const plan = listenerPlan(validateSharedAlbArgs(args));
        expect(plan).to.deep.equal({
            createListeners: true,
            https: true,
            rulesOn: "https",
            defaultAction: { kind: "not-found" },
            rules: [
                {
                    kind: "service",
                    service: "api",
                    priority: 10,
                    hosts: [],
                    paths: ["/api/*"],
                    sourceCidrs: [],
                    action: {
                        kind: "forward",
                        service: "api",
                        targets: [
                            { cluster: "blue", weight: 100 },
                            { cluster: "green", weight: 25 },
                        ],
                        stickinessDuration: 3600,
                    },
                },
                {
                    kind: "service",
                    service: "web",
                    priority: 44020,
                    hosts: ["shop.example.com"],
                    paths: [],
                    sourceCidrs: [],
                    action: {
                        kind: "forward",
                        service: "web",
                        targets: [
                            { cluster: "blue", weight: 100 },
                            { cluster: "green", weight: 0 },
                        ],
                        stickinessDuration: undefined,
                    },
                },
            ],
        });
        expect(ruleConditions(plan.rules[1])).to.deep.equal([{ hostHeader: { values: ["shop.example.com"] } }]);
    });

    it("gives a service with no weight no rule of its own (preview rules attach its target groups), and uses the default service and HTTP without certificates", () => {
        const args = exampleNetworkArgs();
        delete args.loadBalancer.certificateArns;
        args.loadBalancer.allowPlainHttp = true;
        args.clusters.blue.weight = 0;
        args.preview = { token: "0123456789abcdef0123" };
        args.defaultService = "web";
        args.services.web.weights = { green: 1 };
        const plan = listenerPlan(validateSharedAlbArgs(args));
        expect(plan.rulesOn).to.equal("http");
        expect(plan.https).to.equal(false);
        expect(plan.defaultAction).to.deep.equal({
            kind: "forward",
            service: "web",
            targets: [
                { cluster: "blue", weight: 0 },
                { cluster: "green", weight: 1 },
            ],
            stickinessDuration: undefined,
        });
        expect(plan.rules.filter(r => r.service === "api").map(r => [r.kind, r.cluster, r.action])).to.deep.equal([
            ["preview", "blue", { kind: "forward", service: "api", targets: [{ cluster: "blue", weight: 1 }] }],
            ["preview", "green", { kind: "forward", service: "api", targets: [{ cluster: "green", weight: 1 }] }],
        ]);
    });

    it("forwards a service only to the clusters that run it", () => {
        const args = exampleNetworkArgs();
        args.clusters.green.services = ["web"];
        args.clusters.red = { accountId: "333333333333", weight: 7, services: ["api"] };
        const plan = listenerPlan(validateSharedAlbArgs(args));
        const targets = (service: string) => (plan.rules.find(r => r.service === service)!.action as { targets: unknown[] }).targets;
        expect(targets("web")).to.deep.equal([
            { cluster: "blue", weight: 100 },
            { cluster: "green", weight: 0 },
        ]);
        expect(targets("api")).to.deep.equal([
            { cluster: "blue", weight: 100 },
            { cluster: "red", weight: 7 },
        ]);
    });

    it("adds a preview rule per cluster and service just below the service's rule, and header-only ones for the default action last", () => {
        const args = exampleNetworkArgs();
        args.preview = { header: "X-Preview", sourceCidrs: ["203.0.113.0/24"] };
        args.defaultService = "web";
        args.clusters.green.services = ["web"];
        const plan = listenerPlan(validateSharedAlbArgs(args));
        expect(plan.rules.map(r => [r.priority, r.kind, r.service, r.cluster, r.header?.cluster])).to.deep.equal([
            [31743, "preview", "api", "blue", "blue"],
            [31750, "service", "api", undefined, undefined],
            [44013, "preview", "web", "blue", "blue"],
            [44014, "preview", "web", "green", "green"],
            [44020, "service", "web", undefined, undefined],
            [49993, "default-preview", "web", "blue", "blue"],
            [49994, "default-preview", "web", "green", "green"],
        ]);
        const preview = plan.rules.find(r => r.kind === "preview" && r.cluster === "green")!;
        expect(ruleConditions(preview)).to.deep.equal([
            { hostHeader: { values: ["shop.example.com"] } },
            { httpHeader: { httpHeaderName: "X-Preview", values: ["green"] } },
            { sourceIp: { values: ["203.0.113.0/24"] } },
        ]);
        expect(preview.action).to.deep.equal({ kind: "forward", service: "web", targets: [{ cluster: "green", weight: 1 }] });
        expect(ruleConditions(plan.rules[6])).to.deep.equal([
            { httpHeader: { httpHeaderName: "X-Preview", values: ["green"] } },
            { sourceIp: { values: ["203.0.113.0/24"] } },
        ]);
        // A service's own rule has neither the header nor the sources.
        expect(ruleConditions(plan.rules[4])).to.deep.equal([{ hostHeader: { values: ["shop.example.com"] } }]);
    });

    it("with a token, the header value is <cluster key>.<token>, which only a caller holding the token can build", () => {
        const args = exampleNetworkArgs();
        args.preview = { token: "0123456789abcdef0123" };
        const plan = listenerPlan(validateSharedAlbArgs(args));
        const preview = plan.rules.find(r => r.kind === "preview" && r.cluster === "green" && r.service === "api")!;
        expect(preview.header).to.deep.equal({ name: "x-shared-alb-cluster", cluster: "green", token: true });
        expect(preview.sourceCidrs).to.deep.equal([]);
        expect(ruleConditions(preview, h => previewHeaderValue(h.cluster, "0123456789abcdef0123"))).to.deep.equal([
            { pathPattern: { values: ["/api/*"] } },
            { httpHeader: { httpHeaderName: "x-shared-alb-cluster", values: ["green.0123456789abcdef0123"] } },
        ]);
        expect(() => ruleConditions(preview)).to.throw(
            "shared-alb: the preview rule of cluster green needs its token to build its header value",
        );
        expect(previewHeaderValue("green")).to.equal("green");
    });

    it("adds rules to an adopted listener only", () => {
        const args = exampleNetworkArgs();
        args.loadBalancer = {
            existingArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/0123456789abcdef",
            existingListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/edge/0123456789abcdef/00000000000000aa",
            existingSecurityGroupId: "sg-0123456789abcdef0",
        };
        const plan = listenerPlan(validateSharedAlbArgs(args));
        expect([plan.createListeners, plan.https, plan.rulesOn]).to.deep.equal([false, false, "existing"]);
    });
});

describe("registrar policies", () => {
    it("trusts only the cluster's controller role through the account root, with the external ID", () => {
        expect(registrarTrustPolicy("aws", "222222222222", "arn:aws:iam::222222222222:role/shared-alb-lbc-blue", "x-1")).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ControllerOfCluster",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::222222222222:root" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/shared-alb-lbc-blue", "sts:ExternalId": "x-1" },
                    },
                },
            ],
        });
    });

    it("allows register/deregister on the given target groups only", () => {
        expect(registrarPermissions(["arn:tg/b", "arn:tg/a"])).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "RegisterIntoOwnTargetGroups",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                    Resource: ["arn:tg/a", "arn:tg/b"],
                },
                {
                    Sid: "DescribeTargets",
                    Effect: "Allow",
                    Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                    Resource: "*",
                },
            ],
        });
    });
});
