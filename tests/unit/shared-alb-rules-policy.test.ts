import { expect } from "chai";
import { registrarPermissions, registrarTrustPolicy } from "../../components/shared-alb/policy";
import { listenerPlan } from "../../components/shared-alb/rules";
import { validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs } from "../fixtures/network";

describe("listenerPlan", () => {
    it("puts the rules on HTTPS when certificates exist, forwarding only to weighted clusters", () => {
        const args = exampleNetworkArgs();
        args.services.web.priority = 10;
        args.services.api.weights = { green: 25 };
        args.services.api.stickiness = { duration: 3600 };
        const plan = listenerPlan(validateSharedAlbArgs(args));
        expect(plan).to.deep.equal({
            createListeners: true, https: true, rulesOn: "https", defaultAction: { kind: "not-found" },
            rules: [
                { service: "web", priority: 10, hosts: ["shop.example.com"], paths: [],
                    action: { kind: "forward", service: "web", targets: [{ cluster: "blue", weight: 100 }], stickinessDuration: undefined } },
                { service: "api", priority: plan.rules[1].priority, hosts: [], paths: ["/api/*"],
                    action: { kind: "forward", service: "api", targets: [{ cluster: "blue", weight: 100 }, { cluster: "green", weight: 25 }], stickinessDuration: 3600 } },
            ],
        });
    });

    it("answers 503 for a service with no weight, and uses the default service and HTTP without certificates", () => {
        const args = exampleNetworkArgs();
        delete args.loadBalancer.certificateArns;
        args.clusters.blue.weight = 0;
        args.defaultService = "web";
        args.services.web.weights = { green: 1 };
        const plan = listenerPlan(validateSharedAlbArgs(args));
        expect(plan.rulesOn).to.equal("http");
        expect(plan.https).to.equal(false);
        expect(plan.defaultAction).to.deep.equal({ kind: "forward", service: "web", targets: [{ cluster: "green", weight: 1 }], stickinessDuration: undefined });
        expect(plan.rules.find(r => r.service === "api")!.action).to.deep.equal({
            kind: "fixed-response", statusCode: "503", contentType: "text/plain", messageBody: "service api has no cluster with weight above 0",
        });
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
            Statement: [{
                Sid: "ControllerOfCluster", Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/shared-alb-lbc-blue", "sts:ExternalId": "x-1" } },
            }],
        });
    });

    it("allows register/deregister on the given target groups only", () => {
        expect(registrarPermissions(["arn:tg/b", "arn:tg/a"])).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                { Sid: "RegisterIntoOwnTargetGroups", Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: ["arn:tg/a", "arn:tg/b"] },
                { Sid: "DescribeTargets", Effect: "Allow", Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"], Resource: "*" },
            ],
        });
    });
});
