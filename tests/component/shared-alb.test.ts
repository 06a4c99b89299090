import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ConfigErrors } from "../../components/internal/errors";
import { SharedAlb } from "../../components";
import { ListenerInput, RuleInput, receivers, routeRequest } from "../../components/shared-alb/evaluate";
import { Run, run, runError, runRefused, secretValue } from "../harness";
import { exampleNetworkArgs } from "../fixtures/network";

const T = {
    component: "shared-alb:index:SharedAlb",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    cert: "aws:lb/listenerCertificate:ListenerCertificate",
    rule: "aws:lb/listenerRule:ListenerRule",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    random: "random:index/randomPassword:RandomPassword",
} as const;

function build(args: Record<string, any> = exampleNetworkArgs()): Promise<Run> {
    return run(async () => {
        const alb = new SharedAlb("edge", args as any);
        const stack = alb.stackOutputs;
        return {
            outputs: alb.outputs,
            clusters: alb.clusters,
            stack,
            secret: {
                outputs: await pulumi.isSecret(alb.outputs),
                clusters: await pulumi.isSecret(alb.clusters),
                stack: Object.fromEntries(
                    await Promise.all(
                        Object.entries(stack.clusters).flatMap(([key, fields]) =>
                            Object.entries(fields).map(async ([k, v]) => [`${key}.${k}`, await pulumi.isSecret(v)] as const),
                        ),
                    ),
                ),
            },
        };
    });
}

/** The example fleet's external ID of blue as the fake cloud's random.RandomPassword answers it. */
function generatedId(r: Run, key = "blue"): string {
    return secretValue(r.get(T.random, `edge-external-id-${key}`).outputs.result);
}

describe("SharedAlb component", () => {
    let r: Run;
    before(async () => {
        r = await build();
    });

    it("registers exactly the expected resources, all parented to the component", () => {
        expect(r.inventory()).to.deep.equal(
            [
                `${T.sg}::edge-sg`,
                `${T.lb}::edge-alb`,
                `${T.listener}::edge-http`,
                `${T.listener}::edge-https`,
                `${T.rule}::edge-rule-api`,
                `${T.rule}::edge-rule-web`,
                `${T.tg}::edge-tg-blue-api`,
                `${T.tg}::edge-tg-blue-web`,
                `${T.tg}::edge-tg-green-api`,
                `${T.tg}::edge-tg-green-web`,
                `${T.role}::edge-registrar-blue`,
                `${T.rolePolicy}::edge-registrar-blue`,
                `${T.random}::edge-external-id-blue`,
                `${T.component}::edge`,
                `${T.egress}::edge-out-8080`,
                `${T.egress}::edge-out-9000`,
                `${T.ingress}::edge-in-443-0-0-0-0-0`,
                `${T.ingress}::edge-in-80-0-0-0-0-0`,
            ].sort(),
        );
        const component = r.get(T.component, "edge");
        for (const res of r.resources.filter(x => x !== component)) {
            expect(res.parent, res.name).to.equal(component.urn);
        }
    });

    it("creates a protected ALB with deletion protection and invalid headers dropped", () => {
        const lb = r.get(T.lb, "edge-alb");
        expect(lb.options.protect).to.equal(true);
        expect(lb.inputs).to.deep.include({
            name: "shop-edge",
            loadBalancerType: "application",
            internal: false,
            enableDeletionProtection: true,
            dropInvalidHeaderFields: true,
            idleTimeout: 60,
            subnets: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        });
        expect(lb.inputs.securityGroups).to.deep.equal([r.outputs.outputs.securityGroupId]);
        expect(lb.inputs.accessLogs).to.equal(undefined);
    });

    it("opens only the listener ports and reaches only the target ports in the VPC", () => {
        const sg = r.get(T.sg, "edge-sg");
        expect(sg.inputs).to.deep.include({ name: "shop-edge-alb", vpcId: "vpc-0a1b2c3d4e5f60718", revokeRulesOnDelete: true });
        expect(sg.inputs.ingress).to.equal(undefined);
        expect(sg.inputs.egress).to.equal(undefined);
        const rules = [...r.ofType(T.ingress), ...r.ofType(T.egress)].map(x => {
            const { securityGroupId, ...rest } = x.inputs as Record<string, unknown>;
            expect(securityGroupId).to.match(/^sg-[0-9a-f]{17}$/);
            return { type: x.type === T.ingress ? "in" : "out", ...rest };
        });
        expect(rules).to.deep.equal([
            { type: "in", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0", description: "listener 80 from 0.0.0.0/0" },
            {
                type: "in",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
                description: "listener 443 from 0.0.0.0/0",
            },
            {
                type: "out",
                ipProtocol: "tcp",
                fromPort: 8080,
                toPort: 8080,
                cidrIpv4: "10.0.0.0/16",
                description: "targets on 8080: web (ip: traffic and health checks)",
            },
            {
                type: "out",
                ipProtocol: "tcp",
                fromPort: 9000,
                toPort: 9000,
                cidrIpv4: "10.0.0.0/16",
                description: "targets on 9000: api (ip: traffic and health checks)",
            },
        ]);
    });

    it("creates one tagged target group per cluster and service", () => {
        const tg = r.get(T.tg, "edge-tg-blue-web");
        expect(tg.inputs).to.deep.equal({
            name: "blue-web-17b62d5a",
            vpcId: "vpc-0a1b2c3d4e5f60718",
            port: 8080,
            protocol: "HTTP",
            targetType: "ip",
            deregistrationDelay: 30,
            slowStart: 0,
            healthCheck: {
                enabled: true,
                path: "/healthz",
                port: "traffic-port",
                protocol: "HTTP",
                matcher: "200-399",
                interval: 15,
                timeout: 5,
                healthyThreshold: 3,
                unhealthyThreshold: 3,
            },
            tags: { team: "platform", "shared-alb:load-balancer": "shop-edge", "shared-alb:cluster": "blue", "shared-alb:service": "web" },
        });
    });

    it("redirects HTTP to HTTPS and answers 404 by default on HTTPS", () => {
        const http = r.get(T.listener, "edge-http");
        expect(http.inputs).to.deep.include({ port: 80, protocol: "HTTP", loadBalancerArn: r.get(T.lb, "edge-alb").outputs.arn });
        expect(http.inputs.defaultActions).to.deep.equal([
            { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ]);
        const https = r.get(T.listener, "edge-https");
        expect(https.inputs).to.deep.include({
            port: 443,
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/5f1c2d3e-0a1b-4c5d-8e9f-0123456789ab",
        });
        expect(https.inputs.defaultActions).to.deep.equal([
            { type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain", messageBody: "Not Found" } },
        ]);
    });

    it("forwards each service's rule to every cluster's target group on the HTTPS listener, weight 0 included", () => {
        const rule = r.get(T.rule, "edge-rule-web");
        expect(rule.inputs.listenerArn).to.equal(r.get(T.listener, "edge-https").outputs.arn);
        expect(rule.inputs.priority).to.equal(44020);
        expect(rule.inputs.conditions).to.deep.equal([{ hostHeader: { values: ["shop.example.com"] } }]);
        expect(rule.inputs.actions).to.deep.equal([
            {
                type: "forward",
                forward: {
                    targetGroups: [
                        { arn: r.get(T.tg, "edge-tg-blue-web").outputs.arn, weight: 100 },
                        { arn: r.get(T.tg, "edge-tg-green-web").outputs.arn, weight: 0 },
                    ],
                },
            },
        ]);
        expect(rule.inputs.tags).to.deep.include({ "shared-alb:service": "web" });
        expect(r.get(T.rule, "edge-rule-api").inputs.conditions).to.deep.equal([{ pathPattern: { values: ["/api/*"] } }]);
    });

    it("gives the cross-account cluster a registrar role scoped to its own target groups", () => {
        const role = r.get(T.role, "edge-registrar-blue");
        expect(role.inputs.name).to.equal("shop-edge-registrar-blue");
        // A secret: it holds the external ID.
        expect(JSON.parse(secretValue(role.inputs.assumeRolePolicy))).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ControllerOfCluster",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::222222222222:root" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: {
                            "aws:PrincipalArn": "arn:aws:iam::222222222222:role/shared-alb-lbc-blue",
                            "sts:ExternalId": generatedId(r),
                        },
                    },
                },
            ],
        });
        const policy = r.get(T.rolePolicy, "edge-registrar-blue");
        expect(policy.inputs.name).to.equal("register-targets");
        expect(policy.inputs.role).to.equal("shop-edge-registrar-blue");
        expect(JSON.parse(policy.inputs.policy as string).Statement).to.deep.equal([
            {
                Sid: "RegisterIntoOwnTargetGroups",
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: [r.get(T.tg, "edge-tg-blue-api").outputs.arn, r.get(T.tg, "edge-tg-blue-web").outputs.arn].sort(),
            },
            {
                Sid: "DescribeTargets",
                Effect: "Allow",
                Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                Resource: "*",
            },
        ]);
        expect(r.ofType(T.role).map(x => x.name)).to.deep.equal(["edge-registrar-blue"]);
    });

    it("outputs the network contract", () => {
        const o = r.outputs.outputs;
        expect(Object.keys(o).sort()).to.deep.equal([
            "accountId",
            "clusters",
            "loadBalancer",
            "region",
            "securityGroupId",
            "services",
            "vpcId",
        ]);
        expect(o.loadBalancer).to.deep.equal({
            arn: r.get(T.lb, "edge-alb").outputs.arn,
            name: "shop-edge",
            dnsName: r.get(T.lb, "edge-alb").outputs.dnsName,
            zoneId: "Z32O12XQLNTSW2",
            securityGroupId: o.securityGroupId,
            listenerArns: { http: r.get(T.listener, "edge-http").outputs.arn, https: r.get(T.listener, "edge-https").outputs.arn },
        });
        expect(o.services).to.deep.equal({
            web: {
                port: 8080,
                protocol: "HTTP",
                targetType: "ip",
                weights: { blue: 100, green: 0 },
                hosts: ["shop.example.com"],
                paths: [],
                ruleArn: r.get(T.rule, "edge-rule-web").outputs.arn,
                priority: 44020,
            },
            api: {
                port: 9000,
                protocol: "HTTP",
                targetType: "ip",
                weights: { blue: 100, green: 0 },
                hosts: [],
                paths: ["/api/*"],
                ruleArn: r.get(T.rule, "edge-rule-api").outputs.arn,
                priority: 31750,
            },
        });
        expect(o.clusters.green).to.deep.equal({
            accountId: "111111111111",
            weight: 0,
            retiring: false,
            controllerRoleArn: "arn:aws:iam::111111111111:role/shared-alb-lbc-green",
            services: ["api", "web"],
            targetGroups: {
                web: {
                    arn: r.get(T.tg, "edge-tg-green-web").outputs.arn,
                    name: "green-web-1a30dff7",
                    port: 8080,
                    protocol: "HTTP",
                    targetType: "ip",
                },
                api: {
                    arn: r.get(T.tg, "edge-tg-green-api").outputs.arn,
                    name: "green-api-649cdb2a",
                    port: 9000,
                    protocol: "HTTP",
                    targetType: "ip",
                },
            },
        });
        expect(o.clusters.blue.registrarRoleArn).to.equal("arn:aws:iam::111111111111:role/shop-edge-registrar-blue");
        // The external IDs are secrets: not in `outputs`, which stays readable, but in `clusters` (a secret) and in `stackOutputs` on their own.
        expect(o.clusters.blue).to.not.have.property("externalId");
        expect(r.outputs.secret.outputs).to.equal(false);
        expect(r.outputs.secret.clusters).to.equal(true);
        expect(r.outputs.clusters).to.deep.equal({ ...o.clusters, blue: { ...o.clusters.blue, externalId: generatedId(r) } });
        expect(r.outputs.secret.stack).to.deep.equal({
            "blue.accountId": false,
            "blue.weight": false,
            "blue.retiring": false,
            "blue.controllerRoleArn": false,
            "blue.registrarRoleArn": false,
            "blue.services": false,
            "blue.previewSlot": false,
            "blue.targetGroups": false,
            "blue.externalId": true,
            "green.accountId": false,
            "green.weight": false,
            "green.retiring": false,
            "green.controllerRoleArn": false,
            "green.registrarRoleArn": false,
            "green.services": false,
            "green.previewSlot": false,
            "green.targetGroups": false,
        });
        expect(r.outputs.stack.clusters.blue).to.deep.equal({ ...o.clusters.blue, externalId: generatedId(r), previewSlot: undefined });
        expect(Object.keys(r.outputs.stack).sort()).to.deep.equal([
            "accountId",
            "clusters",
            "loadBalancer",
            "region",
            "securityGroupId",
            "services",
            "vpcId",
        ]);
    });

    it("generates each cross-account cluster's external ID with a random.RandomPassword kept in state, keyed by cluster", () => {
        const password = r.get(T.random, "edge-external-id-blue");
        expect(password.inputs).to.deep.equal({ length: 32, special: false, upper: true, lower: true, numeric: true });
        expect(password.parent).to.equal(r.get(T.component, "edge").urn);
        expect(generatedId(r)).to.match(/^[A-Za-z0-9]{32}$/);
        // The same-account cluster assumes no role and has none.
        expect(r.ofType(T.random).map(x => x.name)).to.deep.equal(["edge-external-id-blue"]);
    });

    it("takes a given external ID, plain or an Output, as a secret, and generates none for it", async () => {
        for (const given of ["ext-blue-0123456789", pulumi.output("ext-blue-0123456789")]) {
            const args = exampleNetworkArgs();
            args.clusters.blue.externalId = given;
            const run = await build(args);
            expect(run.ofType(T.random)).to.deep.equal([]);
            const trust = JSON.parse(secretValue(run.get(T.role, "edge-registrar-blue").inputs.assumeRolePolicy));
            expect(trust.Statement[0].Condition.StringEquals["sts:ExternalId"]).to.equal("ext-blue-0123456789");
            expect([run.outputs.secret.clusters, run.outputs.secret.stack["blue.externalId"]]).to.deep.equal([true, true]);
            expect(run.outputs.clusters.blue.externalId).to.equal("ext-blue-0123456789");
        }
    });

    it("refuses a given external ID that arrives as an Output once it resolves, without printing it", async () => {
        const args = exampleNetworkArgs();
        args.clusters.blue.externalId = pulumi.secret("not allowed!");
        const err = await runError(() => new SharedAlb("edge", args as any));
        expect(err.message).to.contain(
            "clusters.blue.externalId: got a secret of 12 characters; expected 2 to 1224 characters of letters, digits and +=,.@:/_-",
        );
        expect(err.message).to.not.contain("not allowed!");
    });

    it("touches nothing of the ALB or other clusters when a cluster is added or re-weighted", async () => {
        const args = exampleNetworkArgs();
        args.clusters.red = { accountId: "333333333333", weight: 0 };
        args.clusters.green.weight = 5;
        const after = await build(args);
        const added = after.inventory().filter(x => !r.inventory().includes(x));
        expect(added).to.deep.equal(
            [
                `${T.tg}::edge-tg-red-api`,
                `${T.tg}::edge-tg-red-web`,
                `${T.role}::edge-registrar-red`,
                `${T.rolePolicy}::edge-registrar-red`,
                `${T.random}::edge-external-id-red`,
            ].sort(),
        );
        // blue keeps its external ID, and its trust policy with it; red gets its own.
        expect(generatedId(after)).to.equal(generatedId(r));
        expect(after.get(T.role, "edge-registrar-blue").inputs.assumeRolePolicy).to.deep.equal(
            r.get(T.role, "edge-registrar-blue").inputs.assumeRolePolicy,
        );
        expect(generatedId(after, "red")).to.not.equal(generatedId(r));
        for (const res of r.resources) {
            const same = after.resources.find(x => x.urn === res.urn)!;
            if (res.type === T.rule) {
                continue; // the rules carry the weights
            }
            expect(same.inputs, res.name).to.deep.equal(res.inputs);
        }
        expect((after.get(T.rule, "edge-rule-web").inputs.actions as any)[0].forward.targetGroups).to.deep.equal([
            { arn: r.get(T.tg, "edge-tg-blue-web").outputs.arn, weight: 100 },
            { arn: r.get(T.tg, "edge-tg-green-web").outputs.arn, weight: 5 },
            { arn: after.get(T.tg, "edge-tg-red-web").outputs.arn, weight: 0 },
        ]);
        // No rule moved: priorities depend on each service's own conditions and name only.
        for (const rule of r.ofType(T.rule)) {
            expect(after.get(T.rule, rule.name).inputs.priority).to.equal(rule.inputs.priority);
        }
    });

    it("renames a target group whose port changes, and only that service's", async () => {
        const args = exampleNetworkArgs();
        args.services.api.port = 9001;
        const after = await build(args);
        expect(after.get(T.tg, "edge-tg-blue-api").inputs.name).to.not.equal(r.get(T.tg, "edge-tg-blue-api").inputs.name);
        expect(after.get(T.tg, "edge-tg-blue-web").inputs.name).to.equal(r.get(T.tg, "edge-tg-blue-web").inputs.name);
    });

    it("changes one cluster's target group with serviceOverrides: its name, inputs, egress and outputs follow, nothing of the other cluster moves", async () => {
        const args = exampleNetworkArgs();
        args.clusters.green.serviceOverrides = { api: { port: 9100, healthCheck: { port: 9901 } } };
        const after = await build(args);
        const changed = after.resources
            .filter(x => {
                const was = r.resources.find(y => y.urn === x.urn);
                return was === undefined || JSON.stringify(was.inputs) !== JSON.stringify(x.inputs);
            })
            .map(x => `${x.type}::${x.name}`);
        expect(changed.sort()).to.deep.equal(
            [
                `${T.egress}::edge-out-9000`,
                `${T.egress}::edge-out-9100`,
                `${T.egress}::edge-out-9901`,
                `${T.rule}::edge-rule-api`,
                `${T.tg}::edge-tg-green-api`,
            ].sort(),
        );
        expect(after.get(T.tg, "edge-tg-green-api").inputs).to.deep.include({
            name: "green-api-5bace866",
            port: 9100,
            protocol: "HTTP",
            targetType: "ip",
        });
        expect((after.get(T.tg, "edge-tg-green-api").inputs.healthCheck as any).port).to.equal("9901");
        expect(
            after
                .ofType(T.egress)
                .map(x => [x.name, x.inputs.description])
                .sort(),
        ).to.deep.equal([
            ["edge-out-8080", "targets on 8080: web (ip: traffic and health checks)"],
            ["edge-out-9000", "targets on 9000: api on blue (ip: traffic and health checks)"],
            ["edge-out-9100", "targets on 9100: api on green (ip: traffic)"],
            ["edge-out-9901", "targets on 9901: api on green (ip: health checks)"],
        ]);
        const o = after.outputs.outputs;
        expect(o.services.api).to.deep.include({ port: 9000, protocol: "HTTP", targetType: "ip" });
        expect(o.clusters.green.targetGroups.api).to.deep.equal({
            arn: after.get(T.tg, "edge-tg-green-api").outputs.arn,
            name: "green-api-5bace866",
            port: 9100,
            protocol: "HTTP",
            targetType: "ip",
            healthCheckPort: 9901,
        });
        expect(o.clusters.blue.targetGroups.api).to.deep.include({ name: "blue-api-be0a9408", port: 9000 });
    });

    it("retires a cluster: weight 0, no preview rules, its target groups (in the forward at 0) and registrar role kept, retiring in the outputs", async () => {
        const args = exampleNetworkArgs();
        args.preview = { sourceCidrs: ["203.0.113.0/24"] };
        args.clusters.blue = { accountId: "222222222222", retiring: true };
        args.clusters.green.weight = 100;
        const after = await build(args);
        expect(
            after
                .ofType(T.rule)
                .map(x => x.name)
                .sort(),
        ).to.deep.equal(["edge-preview-api-green", "edge-preview-web-green", "edge-rule-api", "edge-rule-web"]);
        expect(
            after
                .ofType(T.tg)
                .map(x => x.name)
                .sort(),
        ).to.deep.equal(["edge-tg-blue-api", "edge-tg-blue-web", "edge-tg-green-api", "edge-tg-green-web"]);
        expect(after.get(T.role, "edge-registrar-blue").inputs.name).to.equal("shop-edge-registrar-blue");
        expect((after.get(T.rule, "edge-rule-web").inputs.actions as any)[0].forward.targetGroups).to.deep.equal([
            { arn: after.get(T.tg, "edge-tg-blue-web").outputs.arn, weight: 0 },
            { arn: after.get(T.tg, "edge-tg-green-web").outputs.arn, weight: 100 },
        ]);
        const o = after.outputs.outputs;
        expect([o.clusters.blue.retiring, o.clusters.blue.weight, o.clusters.green.retiring]).to.deep.equal([true, 0, false]);
        expect(o.services.web.previewRuleArns).to.have.keys(["green"]);
    });

    it("adopts an existing ALB and listener read-only and adds only rules, target groups and roles", async () => {
        const args = exampleNetworkArgs();
        args.loadBalancer = {
            name: "shop-edge",
            existingArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop-edge/0123456789abcdef",
            existingListenerArn:
                "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/shop-edge/0123456789abcdef/00000000000000aa",
            existingSecurityGroupId: "sg-0123456789abcdef0",
        };
        const adopted = await build(args);
        expect(adopted.ofType(T.sg)).to.have.length(0);
        expect(adopted.ofType(T.ingress)).to.have.length(0);
        expect(adopted.ofType(T.egress)).to.have.length(0);
        expect(adopted.ofType(T.listener)).to.have.length(0);
        const lb = adopted.get(T.lb, "edge-alb");
        expect(lb.inputs).to.deep.equal({});
        expect(adopted.get(T.rule, "edge-rule-web").inputs.listenerArn).to.equal(args.loadBalancer.existingListenerArn);
        expect(adopted.outputs.outputs.loadBalancer).to.deep.include({
            arn: args.loadBalancer.existingArn,
            name: "shop-edge",
            securityGroupId: "sg-0123456789abcdef0",
            listenerArns: { existing: args.loadBalancer.existingListenerArn },
        });
    });

    it("routes requests as planned once the ALB evaluates the registered rules (preview header included)", async () => {
        const args = exampleNetworkArgs();
        args.preview = { sourceCidrs: ["203.0.113.0/24"] };
        args.services.checkout = { port: 8080, hosts: ["shop.example.com"], paths: ["/checkout/*"] };
        args.clusters.green.services = ["web", "api"];
        args.defaultService = "web";
        const run = await build(args);
        const tg = (cluster: string, service: string) => run.get(T.tg, `edge-tg-${cluster}-${service}`).outputs.arn as string;
        const listener: ListenerInput = {
            rules: run.ofType(T.rule).map(x => x.inputs as unknown as RuleInput),
            defaultActions: run.get(T.listener, "edge-https").inputs.defaultActions as ListenerInput["defaultActions"],
        };
        const to = (path: string, headers?: Record<string, string>) =>
            receivers(routeRequest(listener, { host: "Shop.Example.com", path, headers, sourceIp: "203.0.113.9" }));
        expect(to("/checkout/cart")).to.deep.equal([tg("blue", "checkout")]);
        expect(to("/api/orders")).to.deep.equal([tg("blue", "api")]);
        expect(to("/")).to.deep.equal([tg("blue", "web")]);
        expect(to("/", { "x-shared-alb-cluster": "green" })).to.deep.equal([tg("green", "web")]);
        expect(to("/api/orders", { "x-shared-alb-cluster": "green" })).to.deep.equal([tg("green", "api")]);
        expect(to("/checkout/cart", { "x-shared-alb-cluster": "green" })).to.deep.equal([tg("blue", "checkout")]);
        // Requests no rule matches: the default service, or with the header the named cluster's target group of it.
        const other = (headers?: Record<string, string>) =>
            receivers(routeRequest(listener, { host: "other.example.org", path: "/", headers, sourceIp: "203.0.113.9" }));
        expect(other()).to.deep.equal([tg("blue", "web")]);
        expect(other({ "x-shared-alb-cluster": "green" })).to.deep.equal([tg("green", "web")]);
        // From outside the preview sources the header changes nothing.
        expect(
            receivers(
                routeRequest(listener, {
                    host: "shop.example.com",
                    path: "/",
                    headers: { "x-shared-alb-cluster": "green" },
                    sourceIp: "192.0.2.1",
                }),
            ),
        ).to.deep.equal([tg("blue", "web")]);
        // Every target group is in some rule's forward action, so every one is health-checked.
        const attached = new Set(listener.rules.flatMap(x => x.actions.flatMap(a => a.forward?.targetGroups.map(t => t.arn) ?? [])));
        expect([...attached].sort()).to.deep.equal(
            run
                .ofType(T.tg)
                .map(x => x.outputs.arn as string)
                .sort(),
        );
        expect(
            run
                .ofType(T.tg)
                .map(x => x.name)
                .sort(),
        ).to.deep.equal(["edge-tg-blue-api", "edge-tg-blue-checkout", "edge-tg-blue-web", "edge-tg-green-api", "edge-tg-green-web"]);
        const preview = run.get(T.rule, "edge-preview-web-green");
        expect(preview.inputs.tags).to.deep.include({
            "shared-alb:service": "web",
            "shared-alb:cluster": "green",
            "shared-alb:preview": "service",
        });
        const o = run.outputs.outputs;
        expect(o.preview).to.deep.equal({
            header: "x-shared-alb-cluster",
            sourceCidrs: ["203.0.113.0/24"],
            tokenRequired: false,
            defaultActionRuleArns: {
                blue: run.get(T.rule, "edge-default-preview-blue").outputs.arn,
                green: run.get(T.rule, "edge-default-preview-green").outputs.arn,
            },
        });
        expect(o.defaultService).to.equal("web");
        expect(o.services.checkout.previewRuleArns).to.deep.equal({ blue: run.get(T.rule, "edge-preview-checkout-blue").outputs.arn });
        expect(o.clusters.green).to.deep.include({ services: ["api", "web"], previewSlot: 4 });
        expect(Object.keys(o.clusters.green.targetGroups).sort()).to.deep.equal(["api", "web"]);
    });

    it("puts the preview token in the preview rules' header values only, each a secret of its own", async () => {
        const token = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
        for (const given of [token, pulumi.secret(token)]) {
            const args = exampleNetworkArgs();
            args.preview = { token: given, sourceCidrs: ["203.0.113.0/24"] };
            const run = await build(args);
            const conditions = run.get(T.rule, "edge-preview-api-green").inputs.conditions as any[];
            expect(conditions).to.have.length(3);
            expect(conditions[0]).to.deep.equal({ pathPattern: { values: ["/api/*"] } });
            expect(conditions[1].httpHeader.httpHeaderName).to.equal("x-shared-alb-cluster");
            expect(secretValue(conditions[1].httpHeader.values[0])).to.equal(`green.${token}`);
            expect(conditions[2]).to.deep.equal({ sourceIp: { values: ["203.0.113.0/24"] } });
            expect(secretValue((run.get(T.rule, "edge-preview-web-blue").inputs.conditions as any[])[1].httpHeader.values[0])).to.equal(
                `blue.${token}`,
            );
            // The service rules, the outputs and every other resource never see it.
            const elsewhere = run.resources.filter(x => !x.name.startsWith("edge-preview-"));
            expect(JSON.stringify(elsewhere.map(x => x.inputs))).to.not.include(token);
            expect(JSON.stringify(run.outputs.outputs)).to.not.include(token);
            expect(run.outputs.outputs.preview).to.deep.include({ sourceCidrs: ["203.0.113.0/24"], tokenRequired: true });
        }
    });

    it("refuses a preview token that arrives as an Output once it resolves, without printing it", async () => {
        const args = exampleNetworkArgs();
        args.preview = { token: pulumi.secret("green*0123456789abcdef") };
        const err = await runError(() => new SharedAlb("edge", args as any));
        expect(err.message).to.contain(
            "preview.token: got a secret of 22 characters; '*' and '?' are wildcards in an ALB header condition, " +
                "so a token with them would match other values too; expected 16 to 100 characters of letters, digits and ._~+/=- (for example the output of `openssl rand -hex 24`)",
        );
        expect(err.message).to.not.contain("0123456789abcdef");
    });

    it("refuses open preview routes on an internet-facing ALB before registering anything, and keeps them on an internal one", async () => {
        const args = exampleNetworkArgs();
        args.preview = {};
        const { error: caught, run: r } = await runRefused(() => new SharedAlb("edge", args as any));
        expect(caught.message).to.match(
            /^preview: got \{\}; preview routes on an internet-facing ALB let anyone who sends "x-shared-alb-cluster: <cluster key>"/,
        );
        expect(r.resources).to.deep.equal([]);
        args.loadBalancer.internal = true;
        const internal = await build(args);
        expect(internal.get(T.rule, "edge-preview-web-green").inputs.conditions).to.deep.equal([
            { hostHeader: { values: ["shop.example.com"] } },
            { httpHeader: { httpHeaderName: "x-shared-alb-cluster", values: ["green"] } },
        ]);
    });

    it("lets a registrar role register only into the target groups of the services its cluster runs", async () => {
        const args = exampleNetworkArgs();
        args.clusters.blue.services = ["web"];
        args.services.api.weights = { green: 10 };
        const run = await build(args);
        const policy = JSON.parse(run.get(T.rolePolicy, "edge-registrar-blue").inputs.policy as string);
        expect(policy.Statement[0].Resource).to.deep.equal([run.get(T.tg, "edge-tg-blue-web").outputs.arn]);
        expect(
            run
                .ofType(T.tg)
                .map(x => x.name)
                .sort(),
        ).to.deep.equal(["edge-tg-blue-web", "edge-tg-green-api", "edge-tg-green-web"]);
        expect(run.outputs.outputs.services.api.weights).to.deep.equal({ green: 10 });
    });

    it("describes a health-check port that is the traffic port as the traffic rule's, as the clusters' ingress does: one rule, one reason", async () => {
        const args = exampleNetworkArgs();
        args.services.web.healthCheck.port = 8080;
        const run = await build(args);
        expect(
            run
                .ofType(T.egress)
                .filter(x => x.inputs.fromPort === 8080)
                .map(x => [x.name, x.inputs.toPort, x.inputs.description]),
        ).to.deep.equal([["edge-out-8080", 8080, "targets on 8080: web (ip: traffic and health checks)"]]);
        expect(run.outputs.outputs.clusters.green.targetGroups.web).to.deep.include({ port: 8080, healthCheckPort: 8080 });
    });

    it("reaches instance targets on the NodePort range and every VPC CIDR, the primary's rules keeping their names", async () => {
        const args = exampleNetworkArgs();
        delete args.vpcCidr;
        args.vpcCidrs = ["10.0.0.0/16", "100.64.0.0/16"];
        // Instance targets only for clusters in the ALB's account: a cross-account one is refused them.
        args.clusters.blue.accountId = "111111111111";
        args.services.api.targetType = "instance";
        args.services.api.healthCheck.port = 10256;
        args.services.web.healthCheck.port = 8081;
        const run = await build(args);
        expect(
            run
                .ofType(T.egress)
                .map(x => [x.name, x.inputs.fromPort, x.inputs.toPort, x.inputs.cidrIpv4, x.inputs.description])
                .sort(),
        ).to.deep.equal([
            ["edge-out-10256", 10256, 10256, "10.0.0.0/16", "targets on 10256: api (instance: health checks)"],
            ["edge-out-10256-100-64-0-0-16", 10256, 10256, "100.64.0.0/16", "targets on 10256: api (instance: health checks)"],
            ["edge-out-30000-32767", 30000, 32767, "10.0.0.0/16", "targets on 30000-32767: api (instance: NodePort range, traffic)"],
            [
                "edge-out-30000-32767-100-64-0-0-16",
                30000,
                32767,
                "100.64.0.0/16",
                "targets on 30000-32767: api (instance: NodePort range, traffic)",
            ],
            ["edge-out-8080", 8080, 8080, "10.0.0.0/16", "targets on 8080: web (ip: traffic)"],
            ["edge-out-8080-100-64-0-0-16", 8080, 8080, "100.64.0.0/16", "targets on 8080: web (ip: traffic)"],
            ["edge-out-8081", 8081, 8081, "10.0.0.0/16", "targets on 8081: web (ip: health checks)"],
            ["edge-out-8081-100-64-0-0-16", 8081, 8081, "100.64.0.0/16", "targets on 8081: web (ip: health checks)"],
        ]);
        expect(run.ofType(T.egress).every(x => x.inputs.ipProtocol === "tcp")).to.equal(true);
        expect(run.outputs.outputs.clusters.green.targetGroups.api).to.deep.include({ targetType: "instance", healthCheckPort: 10256 });
        args.services.api.nodePort = 31090;
        const declared = await build(args);
        expect(
            declared
                .ofType(T.egress)
                .filter(x => x.inputs.fromPort !== 8080 && x.inputs.fromPort !== 8081 && x.inputs.fromPort !== 10256)
                .map(x => [x.name, x.inputs.description]),
        ).to.deep.equal([
            ["edge-out-31090", "targets on 31090: api (instance: NodePort, traffic)"],
            ["edge-out-31090-100-64-0-0-16", "targets on 31090: api (instance: NodePort, traffic)"],
        ]);
        expect(declared.outputs.outputs.services.api.nodePort).to.equal(31090);
    });

    it("refuses credentials of another account before anything is deployed", async () => {
        const err = await runError(() => new SharedAlb("edge", exampleNetworkArgs() as any), { accountId: "999999999999" });
        expect(err.message).to.contain(
            'accountId: got "111111111111"; the AWS credentials are for account 999999999999: deploy the network stack with the network account\'s credentials',
        );
    });

    it("refuses bad input before registering anything, the component included", async () => {
        const args = exampleNetworkArgs();
        args.clusters.blue.weight = 1000;
        const { error: caught, run: r } = await runRefused(() => new SharedAlb("edge", args as any));
        expect(caught).to.be.instanceOf(ConfigErrors);
        expect(caught.message).to.equal("clusters.blue.weight: got 1000; expected an integer from 0 to 999");
        expect(r.resources).to.deep.equal([]);
    });
});
