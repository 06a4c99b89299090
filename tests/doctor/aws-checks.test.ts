import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import {
    AuthorizeSecurityGroupEgressCommand,
    CreateVpcCommand,
    RevokeSecurityGroupEgressCommand,
    RunInstancesCommand,
    StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
    CreateTargetGroupCommand,
    DeleteRuleCommand,
    DeregisterTargetsCommand,
    DescribeTargetHealthCommand,
    ModifyLoadBalancerAttributesCommand,
    ModifyRuleCommand,
    ModifyTargetGroupCommand,
    RegisterTargetsCommand,
    RemoveTagsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DeleteRoleCommand, DeleteRolePolicyCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { NetworkOutputs } from "../../components/internal/contract";
import { Report } from "../../cli/doctor/report";
import { DefaultFleet, buildFleet, freshFleetEachTest, registerPolicy, trustPolicy } from "./fleet";
import { Moto, motoEnv } from "./moto";
import { runDoctor } from "./run";

/** Runs the doctor with --json against moto and returns the parsed report. */
async function doctor(moto: Moto, outputs: NetworkOutputs): Promise<{ code: number; report: Report; stderr: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), "doctor-"));
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const run = await runDoctor(["--network-outputs", file, "--json"], { env: motoEnv(moto.endpoint) });
    return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

function failing(report: Report): string[] {
    return report.checks.filter(c => c.status === "fail").map(c => `${c.id} ${c.subject}`);
}

function only(report: Report, id: string, subjectPart: string) {
    const found = report.checks.filter(c => c.id === id && c.subject.includes(subjectPart));
    expect(found, `${id} for ${subjectPart} in ${JSON.stringify(report.checks.map(c => `${c.id} ${c.subject}`))}`).to.have.length(1);
    return found[0];
}

describe("doctor AWS checks against moto_server", function () {
    this.timeout(60_000);
    const fresh = freshFleetEachTest();

    /** Green's web preview rule changed outside the stack to the path and the bare header: no token, no source networks. */
    const openGreenPreview = (ruleArn: string) =>
        fresh.aws.elbv2.send(
            new ModifyRuleCommand({
                RuleArn: ruleArn,
                Conditions: [
                    { Field: "path-pattern", PathPatternConfig: { Values: ["/web/*"] } },
                    { Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "x-shared-alb-cluster", Values: ["green"] } },
                ],
            }),
        );

    it("passes every check on a healthy fresh.fleet and exits 0", async () => {
        const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
        expect(failing(report)).to.deep.equal([]);
        expect(report.checks.filter(c => c.status === "warn")).to.deep.equal([]);
        expect(code).to.equal(0);
        const ids = new Set(report.checks.map(c => c.id));
        for (const id of [
            "alb.found",
            "alb.deletion-protection",
            "tg.found",
            "tg.vpc",
            "tg.healthy",
            "listener.weights",
            "sg.alb-egress",
            "registrar.trust",
        ]) {
            expect(ids.has(id as never), id).to.equal(true);
        }
        // green is in the network account: no registrar for it, and its controller role is readable there.
        expect(report.checks.filter(c => c.id === "registrar.trust").map(c => c.subject.split(" ")[0])).to.deep.equal(["blue"]);
        expect(only(report, "controller.iam", "green")).to.deep.include({
            subject: "green arn:aws:iam::123456789012:role/green-lb-controller",
            message: "trusts one service account through an OIDC provider of account 123456789012; may register into 2 target groups",
        });
        expect(report.checks.filter(c => c.id === "controller.iam")).to.have.length(1);
        expect(report.summary).to.deep.equal({ pass: report.checks.length, warn: 0, fail: 0, error: 0 });
        expect(report.failedReads).to.deep.equal([]);
    });

    it("alb.found fails when the load balancer ARN does not exist", async () => {
        const outputs = {
            ...fresh.fleet.outputs,
            loadBalancer: {
                ...fresh.fleet.outputs.loadBalancer,
                arn: fresh.fleet.outputs.loadBalancer.arn.replace(/\/[0-9a-f]+$/, "/0000000000000000"),
            },
        };
        const { code, report } = await doctor(fresh.moto, outputs);
        const c = only(report, "alb.found", "0000000000000000");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal("load balancer not found");
        expect(c.hint).to.include("account 123456789012 in eu-west-1");
        expect(code).to.equal(1);
    });

    it("alb.deletion-protection fails when protection is off", async () => {
        await fresh.aws.elbv2.send(
            new ModifyLoadBalancerAttributesCommand({
                LoadBalancerArn: fresh.fleet.outputs.loadBalancer.arn,
                Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }],
            }),
        );
        const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
        expect(failing(report)).to.deep.equal([`alb.deletion-protection ${fresh.fleet.outputs.loadBalancer.arn}`]);
        const c = only(report, "alb.deletion-protection", "");
        expect(c.message).to.include("deletion protection is off");
        expect(c.hint).to.include("Key=deletion_protection.enabled,Value=true");
        expect(code).to.equal(1);
    });

    it("tg.found fails for a target group that no longer exists", async () => {
        const gone = fresh.fleet.outputs.clusters.green.targetGroups.api.arn.replace(/\/[0-9a-f]+$/, "/0000000000000000");
        const outputs: NetworkOutputs = JSON.parse(JSON.stringify(fresh.fleet.outputs));
        outputs.clusters.green.targetGroups.api.arn = gone;
        const { code, report } = await doctor(fresh.moto, outputs);
        const c = only(report, "tg.found", "green/api");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal("target group green-api not found while the cluster has weight 50: its share of requests fails");
        expect(c.hint).to.include("pulumi up -s network");
        // The other target groups are still found (the batch is split to find the missing one).
        expect(report.checks.filter(x => x.id === "tg.found" && x.status === "pass")).to.have.length(3);
        expect(code).to.equal(1);
    });

    it("tg.vpc fails for a target group in another VPC", async () => {
        const other = await fresh.aws.ec2.send(new CreateVpcCommand({ CidrBlock: "172.16.0.0/16" }));
        const tg = await fresh.aws.elbv2.send(
            new CreateTargetGroupCommand({
                Name: "blue-api-elsewhere",
                Protocol: "HTTP",
                Port: 8080,
                VpcId: other.Vpc?.VpcId,
                TargetType: "ip",
            }),
        );
        const arn = tg.TargetGroups?.[0].TargetGroupArn as string;
        await fresh.aws.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: "172.16.0.10", Port: 8080 }] }));
        const outputs: NetworkOutputs = JSON.parse(JSON.stringify(fresh.fleet.outputs));
        outputs.clusters.blue.targetGroups.api = { ...outputs.clusters.blue.targetGroups.api, arn, name: "blue-api-elsewhere" };
        const { report } = await doctor(fresh.moto, outputs);
        const c = only(report, "tg.vpc", "blue/api");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal(
            `target group is in ${other.Vpc?.VpcId}, the load balancer in ${fresh.fleet.vpcId}: the ALB cannot forward to it`,
        );
        expect(c.hint).to.include(fresh.fleet.vpcId);
    });

    it("tg.healthy fails for a weighted target group with no targets, but not for a weight-0 one", async () => {
        // blue has weight 100 on web; green has weight 0 on web. Deregister every target of both.
        for (const key of ["blue", "green"]) {
            const arn = fresh.fleet.outputs.clusters[key].targetGroups.web.arn;
            const health = await fresh.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
            const targets = (health.TargetHealthDescriptions ?? []).map(d => ({ Id: d.Target?.Id as string, Port: d.Target?.Port }));
            if (targets.length > 0) {
                await fresh.aws.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: targets }));
            }
        }
        const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
        const blue = only(report, "tg.healthy", "blue/web");
        expect(blue.status).to.equal("fail");
        expect(blue.message).to.equal("weight 100 but no healthy target (no targets registered): requests sent here fail with 503");
        expect(blue.hint).to.include("--cluster blue");
        const green = only(report, "tg.healthy", "green/web");
        expect(green.status).to.equal("pass");
        expect(green.message).to.equal("weight 0 and no targets");
        expect(failing(report)).to.deep.equal([`tg.healthy blue/web ${fresh.fleet.outputs.clusters.blue.targetGroups.web.arn}`]);
        expect(code).to.equal(1);
    });

    it("tg.healthy counts targets that are not healthy (fresh.moto reports a stopped instance as unused)", async () => {
        const tg = await fresh.aws.elbv2.send(
            new CreateTargetGroupCommand({
                Name: "blue-api-inst",
                Protocol: "HTTP",
                Port: 8080,
                VpcId: fresh.fleet.vpcId,
                TargetType: "instance",
            }),
        );
        const arn = tg.TargetGroups?.[0].TargetGroupArn as string;
        const run = await fresh.aws.ec2.send(
            new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 2, MaxCount: 2, InstanceType: "t3.micro" }),
        );
        const ids = (run.Instances ?? []).map(i => i.InstanceId as string);
        await fresh.aws.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map(Id => ({ Id, Port: 8080 })) }));
        await fresh.aws.ec2.send(new StopInstancesCommand({ InstanceIds: ids }));
        const health = await fresh.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        expect(health.TargetHealthDescriptions?.map(d => d.TargetHealth?.State)).to.deep.equal(["unused", "unused"]);
        const outputs: NetworkOutputs = JSON.parse(JSON.stringify(fresh.fleet.outputs));
        outputs.clusters.blue.targetGroups.api = { arn, name: "blue-api-inst", port: 8080, protocol: "HTTP", targetType: "instance" };
        const { report } = await doctor(fresh.moto, outputs);
        const c = only(report, "tg.healthy", "blue/api");
        expect(c.status).to.equal("fail");
        expect(c.message).to.match(
            /^weight 50 but no healthy target \(0 healthy, 2 unused; e\.g\. i-[0-9a-f]+: Target\.InvalidState \(Target is in the stopped state\)\): requests sent here fail with 503$/,
        );
    });

    it("listener.weights fails when the rule's weights drift from the outputs", async () => {
        const api = fresh.fleet.outputs.clusters;
        await fresh.aws.elbv2.send(
            new ModifyRuleCommand({
                RuleArn: fresh.fleet.ruleArns.api,
                Actions: [
                    {
                        Type: "forward",
                        ForwardConfig: {
                            TargetGroups: [
                                { TargetGroupArn: api.blue.targetGroups.api.arn, Weight: 90 },
                                { TargetGroupArn: api.green.targetGroups.api.arn, Weight: 10 },
                            ],
                        },
                    },
                ],
            }),
        );
        const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
        expect(failing(report)).to.deep.equal(["listener.weights service api"]);
        const c = only(report, "listener.weights", "service api");
        expect(c.message).to.equal("live weights differ from the outputs: blue 90 (expected 50), green 10 (expected 50)");
        expect(c.hint).to.include("pulumi up -s network");
        expect(code).to.equal(1);
    });

    it("listener.rule finds a rule whose tag was removed by its ARN from the outputs: a warning, and its weights are still checked", async () => {
        await fresh.aws.elbv2.send(new RemoveTagsCommand({ ResourceArns: [fresh.fleet.ruleArns.web], TagKeys: ["shared-alb:service"] }));
        const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
        expect(failing(report)).to.deep.equal([]);
        const c = only(report, "listener.rule", "service web");
        expect(c.status).to.equal("warn");
        expect(c.message).to.equal(
            "rule priority 20 on the http listener (found by its ARN) has no tag shared-alb:service=web; it still forwards",
        );
        expect(c.hint).to.equal("pulumi up -s network puts the tag back (tools that look rules up by tag need it)");
        expect(only(report, "listener.weights", "service web").message).to.equal("weights match: blue=100 green=0");
        expect(code).to.equal(0);
    });

    it("listener.rule falls back to the tag for outputs without rule ARNs, and fails when the tag is gone too", async () => {
        await fresh.moto.reset();
        const legacy = await buildFleet(fresh.aws, { ...DefaultFleet, legacyOutputs: true });
        expect(legacy.outputs.services.web.ruleArn).to.equal(undefined);
        const tagged = await doctor(fresh.moto, legacy.outputs);
        expect(only(tagged.report, "listener.rule", "service web")).to.deep.include({
            status: "pass",
            message: "rule priority 20 on the http listener",
        });
        await fresh.aws.elbv2.send(new RemoveTagsCommand({ ResourceArns: [legacy.ruleArns.web], TagKeys: ["shared-alb:service"] }));
        const { report } = await doctor(fresh.moto, legacy.outputs);
        expect(failing(report)).to.deep.equal(["listener.rule service web"]);
        expect(only(report, "listener.rule", "service web").message).to.equal(
            "no rule on the http listener is tagged shared-alb:service=web: the service gets no traffic",
        );
    });

    it("listener.rule fails when the rule of the outputs is gone", async () => {
        await fresh.aws.elbv2.send(new DeleteRuleCommand({ RuleArn: fresh.fleet.ruleArns.api }));
        const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
        expect(failing(report)).to.deep.equal(["listener.rule service api"]);
        expect(only(report, "listener.rule", "service api").message).to.equal(
            `rule ${fresh.fleet.ruleArns.api} from the outputs is not on the http listener: the service gets no traffic of its own`,
        );
        expect(code).to.equal(1);
    });

    it("listener.weights fails when a weight-0 cluster is left out of the forward action (its targets are not health-checked)", async () => {
        const web = fresh.fleet.outputs.clusters.blue.targetGroups.web.arn;
        await fresh.aws.elbv2.send(
            new ModifyRuleCommand({
                RuleArn: fresh.fleet.ruleArns.web,
                Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: web, Weight: 100 }] } }],
            }),
        );
        const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
        expect(failing(report)).to.deep.equal(["listener.weights service web"]);
        const c = only(report, "listener.weights", "service web");
        expect(c.message).to.equal(
            "the target group of green (weight 0) is not in the forward action: it is not health-checked, so pods behind readiness gates there never become Ready",
        );
        expect(c.hint).to.equal(
            "pulumi up -s network with this version of shared-alb: weight-0 clusters stay in the forward action with weight 0",
        );
    });

    it("listener.preview passes for intact preview rules and fails for one that forwards elsewhere", async () => {
        await fresh.moto.reset();
        const previewed = await buildFleet(fresh.aws, { ...DefaultFleet, previewHeader: "x-shared-alb-cluster" });
        const healthy = await doctor(fresh.moto, previewed.outputs);
        expect(failing(healthy.report)).to.deep.equal([]);
        expect(only(healthy.report, "listener.preview", "service web")).to.deep.include({
            status: "pass",
            message: "preview rules of blue, green send x-shared-alb-cluster: <cluster> to that cluster",
        });
        await fresh.aws.elbv2.send(
            new ModifyRuleCommand({
                RuleArn: previewed.previewRuleArns.web.green,
                Actions: [
                    {
                        Type: "forward",
                        ForwardConfig: {
                            TargetGroups: [{ TargetGroupArn: previewed.outputs.clusters.blue.targetGroups.web.arn, Weight: 1 }],
                        },
                    },
                ],
            }),
        );
        const { report } = await doctor(fresh.moto, previewed.outputs);
        expect(failing(report)).to.deep.equal(["listener.preview service web"]);
        expect(only(report, "listener.preview", "service web").message).to.equal(
            "preview rules differ from the outputs: green: priority 12 does not forward to the cluster's target group green-web alone",
        );
    });

    it("listener.preview accepts <cluster>.<token> header values when the outputs require a token, and fails a rule without one", async () => {
        await fresh.moto.reset();
        const token = "9f8e7d6c5b4a39281706f5e4";
        const previewed = await buildFleet(fresh.aws, { ...DefaultFleet, previewHeader: "x-shared-alb-cluster", previewToken: token });
        const healthy = await doctor(fresh.moto, previewed.outputs);
        expect(failing(healthy.report)).to.deep.equal([]);
        expect(only(healthy.report, "listener.preview", "service web")).to.deep.include({
            status: "pass",
            message: "preview rules of blue, green send x-shared-alb-cluster: <cluster>.<token> to that cluster",
        });
        // The token taken out of green's rule: the header alone would open it again.
        await openGreenPreview(previewed.previewRuleArns.web.green);
        const { report } = await doctor(fresh.moto, previewed.outputs);
        expect(failing(report)).to.deep.equal(["listener.preview service web"]);
        expect(only(report, "listener.preview", "service web").message).to.equal(
            "preview rules differ from the outputs: green: priority 12 does not match x-shared-alb-cluster: green.<token>",
        );
    });

    it("listener.preview fails a preview rule that no longer requires the source CIDRs of the outputs", async () => {
        await fresh.moto.reset();
        const previewed = await buildFleet(fresh.aws, {
            ...DefaultFleet,
            previewHeader: "x-shared-alb-cluster",
            previewSources: ["203.0.113.0/24"],
        });
        const healthy = await doctor(fresh.moto, previewed.outputs);
        expect(failing(healthy.report)).to.deep.equal([]);
        expect(only(healthy.report, "listener.preview", "service web")).to.deep.include({
            status: "pass",
            message: "preview rules of blue, green send x-shared-alb-cluster: <cluster> from 203.0.113.0/24 to that cluster",
        });
        // The source condition dropped outside the stack: anyone with the header reaches green.
        await openGreenPreview(previewed.previewRuleArns.web.green);
        const { report } = await doctor(fresh.moto, previewed.outputs);
        expect(failing(report)).to.deep.equal(["listener.preview service web"]);
        expect(only(report, "listener.preview", "service web").message).to.equal(
            "preview rules differ from the outputs: green: priority 12 takes requests from any source, not only from 203.0.113.0/24",
        );
    });

    it("sg.alb-egress fails when the ALB security group cannot reach a target port", async () => {
        await fresh.aws.ec2.send(
            new RevokeSecurityGroupEgressCommand({
                GroupId: fresh.fleet.outputs.securityGroupId,
                IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
            }),
        );
        const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
        const sg = fresh.fleet.outputs.securityGroupId;
        expect(failing(report)).to.deep.equal([`sg.alb-egress ${sg} port 8080`]);
        const c = only(report, "sg.alb-egress", "port 8080");
        expect(c.message).to.equal("no egress rule allows tcp 8080: the ALB cannot reach blue/api, green/api");
        expect(c.hint).to.include(`--group-id ${sg}`);
        expect(only(report, "sg.alb-egress", "port 3000").status).to.equal("pass");
        expect(code).to.equal(1);
    });

    it("sg.alb-egress asks for the NodePort range for instance targets, and passes once egress covers it", async () => {
        const outputs: NetworkOutputs = JSON.parse(JSON.stringify(fresh.fleet.outputs));
        outputs.clusters.green.targetGroups.api.targetType = "instance";
        const sg = outputs.securityGroupId;
        const before = await doctor(fresh.moto, outputs);
        const c = only(before.report, "sg.alb-egress", "port 30000-32767");
        expect(c.status).to.equal("fail");
        expect(c.message).to.equal("no egress rule allows tcp 30000-32767: the ALB cannot reach green/api");
        expect(c.hint).to.include("FromPort=30000,ToPort=32767");
        await fresh.aws.ec2.send(
            new AuthorizeSecurityGroupEgressCommand({
                GroupId: sg,
                IpPermissions: [{ IpProtocol: "tcp", FromPort: 30000, ToPort: 32767, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
            }),
        );
        const after = await doctor(fresh.moto, outputs);
        expect(only(after.report, "sg.alb-egress", "port 30000-32767")).to.deep.include({
            status: "pass",
            message: "egress allows tcp 30000-32767 to 10.0.0.0/16 (green/api)",
        });
    });

    it("sg.alb-egress checks a health-check port of instance targets on its own, also inside the NodePort range, as the network stack opens it", async () => {
        const outputs: NetworkOutputs = JSON.parse(JSON.stringify(fresh.fleet.outputs));
        Object.assign(outputs.clusters.green.targetGroups.api, { targetType: "instance", healthCheckPort: 31500 });
        await fresh.aws.ec2.send(
            new AuthorizeSecurityGroupEgressCommand({
                GroupId: outputs.securityGroupId,
                IpPermissions: [{ IpProtocol: "tcp", FromPort: 30000, ToPort: 32767, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
            }),
        );
        const { report } = await doctor(fresh.moto, outputs);
        expect(only(report, "sg.alb-egress", "port 30000-32767")).to.deep.include({
            status: "pass",
            message: "egress allows tcp 30000-32767 to 10.0.0.0/16 (green/api)",
        });
        expect(only(report, "sg.alb-egress", "port 31500")).to.deep.include({
            status: "pass",
            message: "egress allows tcp 31500 to 10.0.0.0/16 (green/api health check)",
        });
    });

    it("sg.alb-egress warns when egress reaches only part of the VPC", async () => {
        const sg = fresh.fleet.outputs.securityGroupId;
        await fresh.aws.ec2.send(
            new RevokeSecurityGroupEgressCommand({
                GroupId: sg,
                IpPermissions: [{ IpProtocol: "tcp", FromPort: 3000, ToPort: 3000, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
            }),
        );
        await fresh.aws.ec2.send(
            new AuthorizeSecurityGroupEgressCommand({
                GroupId: sg,
                IpPermissions: [{ IpProtocol: "tcp", FromPort: 3000, ToPort: 3000, IpRanges: [{ CidrIp: "10.0.5.0/24" }] }],
            }),
        );
        const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
        const c = only(report, "sg.alb-egress", "port 3000");
        expect(c.status).to.equal("warn");
        expect(c.message).to.equal("egress on tcp 3000 only reaches 10.0.5.0/24, not the whole VPC 10.0.0.0/16 (blue/web, green/web)");
    });

    describe("registrar.trust", () => {
        const roleName = "shared-alb-registrar-blue";

        it("fails when the registrar role is missing", async () => {
            await fresh.aws.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: "register-targets" }));
            await fresh.aws.iam.send(new DeleteRoleCommand({ RoleName: roleName }));
            const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
            expect(failing(report)).to.deep.equal([`registrar.trust blue ${fresh.fleet.outputs.clusters.blue.registrarRoleArn}`]);
            const c = only(report, "registrar.trust", "blue");
            expect(c.message).to.equal(
                "registrar role for cross-account cluster blue does not exist: its controller cannot register targets",
            );
            expect(c.hint).to.include("pulumi up -s network");
            expect(code).to.equal(1);
        });

        it("fails when the trust policy names another controller role", async () => {
            await fresh.aws.iam.send(
                new UpdateAssumeRolePolicyCommand({
                    RoleName: roleName,
                    PolicyDocument: trustPolicy("222222222222", "arn:aws:iam::222222222222:role/someone-else", "ext-blue-0123456789"),
                }),
            );
            const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
            const c = only(report, "registrar.trust", "blue");
            expect(c.status).to.equal("fail");
            expect(c.message).to.equal(
                `trust policy aws:PrincipalArn condition ["arn:aws:iam::222222222222:role/someone-else"] does not match the controller role arn:aws:iam::222222222222:role/blue-lb-controller`,
            );
        });

        it("fails when the trust policy trusts the account without an aws:PrincipalArn condition", async () => {
            const doc = {
                Version: "2012-10-17",
                Statement: {
                    Effect: "Allow",
                    Principal: { AWS: "222222222222" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Condition: { StringEquals: { "sts:ExternalId": "ext-blue-0123456789" } },
                },
            };
            await fresh.aws.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(doc) }));
            const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
            const c = only(report, "registrar.trust", "blue");
            expect(c.status).to.equal("fail");
            expect(c.message).to.equal(
                `trust policy statement 1 allows ["sts:TagSession"] besides sts:AssumeRole; ` +
                    "trust policy trusts AWS:222222222222 without an aws:PrincipalArn condition, so any role there may assume it",
            );
        });

        it("fails when the external ID differs", async () => {
            await fresh.aws.iam.send(
                new UpdateAssumeRolePolicyCommand({
                    RoleName: roleName,
                    PolicyDocument: trustPolicy("222222222222", "arn:aws:iam::222222222222:role/blue-lb-controller", "ext-stale"),
                }),
            );
            const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
            const c = only(report, "registrar.trust", "blue");
            expect(c.status).to.equal("fail");
            expect(c.message).to.equal(`trust policy sts:ExternalId condition ["ext-stale"] does not match the external ID in the outputs`);
            expect(c.hint).to.include("sts:ExternalId");
        });

        it("fails when the policy does not cover one of the cluster's target groups", async () => {
            await fresh.aws.iam.send(
                new PutRolePolicyCommand({
                    RoleName: roleName,
                    PolicyName: "register-targets",
                    PolicyDocument: registerPolicy([fresh.fleet.outputs.clusters.blue.targetGroups.api.arn]),
                }),
            );
            const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
            const c = only(report, "registrar.trust", "blue");
            expect(c.status).to.equal("fail");
            expect(c.message).to.equal(
                "policy does not allow RegisterTargets on the target group of web; policy does not allow DeregisterTargets on the target group of web",
            );
        });

        it("accepts an equivalent policy spelled differently", async () => {
            const blue = fresh.fleet.outputs.clusters.blue.targetGroups;
            const doc = {
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: "elasticloadbalancing:*Targets", Resource: [blue.web.arn, blue.api.arn] },
                    {
                        Effect: "Allow",
                        Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                        Resource: ["*"],
                    },
                ],
            };
            await fresh.aws.iam.send(
                new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "register-targets", PolicyDocument: JSON.stringify(doc) }),
            );
            const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
            expect(only(report, "registrar.trust", "blue")).to.deep.include({
                status: "pass",
                message:
                    "trusts arn:aws:iam::222222222222:role/blue-lb-controller with the external ID; may register into 2 target groups and nothing more",
            });
            expect(code).to.equal(0);
        });

        it("fails a policy broader than the cluster's target groups, saying what is widened and how to put it back", async () => {
            const doc = {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "elasticloadbalancing:*Targets",
                        Resource: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/*",
                    },
                    { Effect: "Allow", Action: "elasticloadbalancing:DescribeTarget*", Resource: ["*"] },
                ],
            };
            await fresh.aws.iam.send(
                new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "register-targets", PolicyDocument: JSON.stringify(doc) }),
            );
            const { code, report } = await doctor(fresh.moto, fresh.fleet.outputs);
            const c = only(report, "registrar.trust", "blue");
            expect(c.status).to.equal("fail");
            expect(c.message).to.equal(
                `inline policy register-targets statement 1: resource "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/*" on ` +
                    "elasticloadbalancing:DeregisterTargets, elasticloadbalancing:RegisterTargets reaches beyond the target groups of cluster blue; " +
                    `inline policy register-targets statement 2: grants "elasticloadbalancing:DescribeTarget*" (elasticloadbalancing:DescribeTargetGroupAttributes), which shared-alb does not grant`,
            );
            expect(c.hint).to.equal(
                "pulumi up -s network to restore the registrar role's trust and policy register-targets (trust: account 222222222222, " +
                    "aws:PrincipalArn arn:aws:iam::222222222222:role/blue-lb-controller, sts:ExternalId from the outputs)",
            );
            expect(code).to.equal(1);
        });
    });

    it("tg.config warns when the health check accepts redirects", async () => {
        await fresh.aws.elbv2.send(
            new ModifyTargetGroupCommand({
                TargetGroupArn: fresh.fleet.outputs.clusters.green.targetGroups.api.arn,
                Matcher: { HttpCode: "200-399" },
            }),
        );
        const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
        const c = only(report, "tg.config", "green/api");
        expect(c.status).to.equal("warn");
        expect(c.message).to.include("matcher 200-399 accepts redirects");
    });

    it("follows each cluster's own target group (clusters.<key>.serviceOverrides): tg.config and sg.alb-egress check green's api port", async () => {
        await fresh.moto.reset();
        const spec = {
            ...DefaultFleet,
            services: DefaultFleet.services.map(s => (s.name === "api" ? { ...s, ports: { green: 8081 } } : s)),
        };
        const differing = await buildFleet(fresh.aws, spec);
        expect([differing.outputs.services.api.port, differing.outputs.clusters.green.targetGroups.api.port]).to.deep.equal([8080, 8081]);
        const { report } = await doctor(fresh.moto, differing.outputs);
        expect(failing(report)).to.deep.equal([]);
        expect(only(report, "tg.config", "green/api").message).to.equal("HTTP port 8081, ip targets, health check /healthz matcher 200");
        expect(only(report, "sg.alb-egress", "port 8081").message).to.equal("egress allows tcp 8081 to 10.0.0.0/16 (green/api)");
        expect(only(report, "sg.alb-egress", "port 8080").message).to.equal("egress allows tcp 8080 to 10.0.0.0/16 (blue/api)");
        const sg = differing.outputs.securityGroupId;
        await fresh.aws.ec2.send(
            new RevokeSecurityGroupEgressCommand({
                GroupId: sg,
                IpPermissions: [{ IpProtocol: "tcp", FromPort: 8081, ToPort: 8081, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
            }),
        );
        await fresh.aws.elbv2.send(
            new RegisterTargetsCommand({
                TargetGroupArn: differing.outputs.clusters.green.targetGroups.api.arn,
                Targets: [{ Id: "10.0.1.99", Port: 8080 }],
            }),
        );
        const after = await doctor(fresh.moto, differing.outputs);
        expect(failing(after.report)).to.deep.equal([`sg.alb-egress ${sg} port 8081`]);
        expect(only(after.report, "sg.alb-egress", "port 8081").message).to.equal(
            "no egress rule allows tcp 8081: the ALB cannot reach green/api",
        );
        expect(only(after.report, "tg.target-port", "green/api")).to.deep.include({
            status: "warn",
            message: "1 of 3 targets are registered on port 8080, not the target group port 8081; the ALB security group only opens 8081",
            hint:
                "make the Service's targetPort 8081 (or set the target group port to the container port in the network config: services.api.port, " +
                "or clusters.green.serviceOverrides.api.port for this cluster only)",
        });
    });

    it("tg.target-port warns about targets registered on another port", async () => {
        await fresh.aws.elbv2.send(
            new RegisterTargetsCommand({
                TargetGroupArn: fresh.fleet.outputs.clusters.green.targetGroups.api.arn,
                Targets: [{ Id: "10.0.1.99", Port: 9090 }],
            }),
        );
        const { report } = await doctor(fresh.moto, fresh.fleet.outputs);
        const c = only(report, "tg.target-port", "green/api");
        expect(c.status).to.equal("warn");
        expect(c.message).to.equal(
            "1 of 3 targets are registered on port 9090, not the target group port 8080; the ALB security group only opens 8080",
        );
    });
});
