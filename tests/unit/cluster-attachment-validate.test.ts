import { expect } from "chai";
import * as fc from "fast-check";
import { ConfigErrors } from "../../components/internal/errors";
import { ClusterAttachmentArgs } from "../../components/cluster-attachment/args";
import { readAttachmentArgs } from "../../components/cluster-attachment/validate";
import { attachmentArgs } from "../component/cluster-attachment-fixtures";

type Mutate = (a: any) => void;

/** The plan read from the whole arguments, as the component reads them (the plain cluster inputs checked too). */
const planOf = (args: ClusterAttachmentArgs, root = "") => readAttachmentArgs(args, root).plan;

function errorOf(key: "blue" | "green", mutate: Mutate, root = ""): string {
    const args = JSON.parse(JSON.stringify(attachmentArgs(key))) as ClusterAttachmentArgs;
    mutate(args);
    try {
        planOf(args, root);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigErrors);
        return (e as Error).message;
    }
    throw new Error("expected a validation error");
}

describe("cluster-attachment validation: defaults", () => {
    it("resolves the blue (cross-account) example", () => {
        const r = planOf(attachmentArgs("blue"));
        expect(r.crossAccount).to.equal(true);
        expect(r.sharedVpc).to.equal(true);
        expect(r.role).to.deep.equal({ name: "shared-alb-lbc-blue", path: "/", arn: "arn:aws:iam::222222222222:role/shared-alb-lbc-blue" });
        expect(r.controller).to.deep.equal({
            install: true,
            createRole: true,
            roleArn: undefined,
            chartVersion: "3.5.0",
            namespace: "kube-system",
            serviceAccountName: "aws-load-balancer-controller",
            releaseName: "aws-load-balancer-controller",
            replicas: 2,
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            extraValues: {},
            additionalPolicyJson: undefined,
        });
        expect(r.bindings.web).to.deep.equal({
            key: "web",
            namespace: "shop",
            serviceName: "web",
            servicePort: 80,
            tgbName: "shared-alb-web",
            ipAddressType: "ipv4",
            targetType: "ip",
            protocol: "HTTP",
            fromPort: 8080,
            toPort: 8080,
            networkingPort: 8080,
            healthCheckPort: undefined,
        });
        expect(r.bindings.api.servicePort).to.equal("http");
        expect([
            r.securityGroupMode,
            r.applyToCluster,
            r.labelNamespaces,
            r.manageCrd,
            r.multiClusterTargetGroup,
            r.bindingAdmissionPolicy,
        ]).to.deep.equal(["rules", true, true, true, false, true]);
    });

    it("resolves the green (same-account) example", () => {
        const r = planOf(attachmentArgs("green"));
        expect([r.crossAccount, r.sharedVpc, r.registrarRoleArn]).to.deep.equal([false, false, undefined]);
    });

    it("opens instance targets on the network's declared NodePort, else the NodePort range; a binding's targetPort wins", () => {
        const ports = (tg: Record<string, unknown>, targetPort?: number) => {
            const a = JSON.parse(JSON.stringify(attachmentArgs("green"))) as any;
            Object.assign(a.cluster.targetGroups.web, { targetType: "instance", ...tg });
            if (targetPort !== undefined) {
                a.bindings.web.targetPort = targetPort;
            }
            const r = planOf(a);
            const b = r.bindings.web;
            return [b.fromPort, b.toPort, b.networkingPort, b.healthCheckPort];
        };
        expect(ports({})).to.deep.equal([30000, 32767, undefined, undefined]);
        expect(ports({ nodePort: 31080 })).to.deep.equal([31080, 31080, 31080, undefined]);
        expect(ports({ nodePort: 31080 }, 31090)).to.deep.equal([31090, 31090, 31090, undefined]);
        expect(ports({ healthCheckPort: 10256 })).to.deep.equal([30000, 32767, undefined, 10256]);
        // A health check on the traffic port needs nothing more.
        expect(ports({ nodePort: 31080, healthCheckPort: 31080 })).to.deep.equal([31080, 31080, 31080, undefined]);
    });

    it("leaves the CRD alone when attaching to an existing controller", () => {
        const r = planOf(attachmentArgs("green", { controller: { install: false } }));
        expect(r.manageCrd).to.equal(false);
    });
});

describe("cluster-attachment validation: errors name the path, the value and what is allowed", () => {
    const table: [string, "blue" | "green", Mutate, string][] = [
        [
            "the cluster entry's account ID as a number",
            "green",
            a => {
                a.cluster.accountId = 111111111111;
            },
            'cluster.accountId: got 111111111111; expected a 12-digit AWS account ID such as "111111111111"; ' +
                'quote it in YAML: "111111111111" (unquoted, YAML reads it as the number 111111111111)',
        ],
        [
            "a namespace that is not DNS-1123",
            "green",
            a => {
                a.bindings.web.namespace = "Shop";
            },
            'bindings.web.namespace: got "Shop"; expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens',
        ],
        [
            "a service name that is not DNS-1123",
            "green",
            a => {
                a.bindings.web.service = "web_1";
            },
            'bindings.web.service: got "web_1"; expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens',
        ],
        [
            "port 0",
            "green",
            a => {
                a.bindings.web.port = 0;
            },
            "bindings.web.port: got 0; expected an integer port from 1 to 65535",
        ],
        [
            "port 65536",
            "green",
            a => {
                a.bindings.web.port = 65536;
            },
            "bindings.web.port: got 65536; expected an integer port from 1 to 65535",
        ],
        [
            "a bad port name",
            "green",
            a => {
                a.bindings.api.portName = "HTTP";
            },
            'bindings.api.portName: got "HTTP"; expected a port name: at most 15 lower-case letters, digits and inner hyphens, with at least one letter',
        ],
        [
            "both port and portName",
            "green",
            a => {
                a.bindings.web.portName = "http";
            },
            'bindings.web.portName: got "http"; give either port or portName, not both',
        ],
        [
            "no port",
            "green",
            a => {
                delete a.bindings.web.port;
            },
            "bindings.web.port: got nothing; expected the Service port: port (1 to 65535) or portName",
        ],
        [
            "a binding for a service the network does not serve",
            "green",
            a => {
                a.bindings.admin = { namespace: "shop", service: "admin", port: 80 };
            },
            'bindings.admin: got "admin"; this cluster has no target group for service "admin" (it does not run it: see clusters.<key>.services of the network); expected one of "api", "web"',
        ],
        [
            "a target group protocol an ALB does not have",
            "green",
            a => {
                a.cluster.targetGroups.web.protocol = "TCP";
            },
            'cluster.targetGroups.web.protocol: got "TCP"; expected one of "HTTP", "HTTPS"',
        ],
        [
            "a declared NodePort outside the NodePort range",
            "green",
            a => {
                a.cluster.targetGroups.web.nodePort = 8080;
            },
            "cluster.targetGroups.web.nodePort: got 8080; expected a NodePort from 30000 to 32767",
        ],
        [
            "no bindings",
            "green",
            a => {
                a.bindings = {};
            },
            "bindings: got {}; expected at least one binding { <service>: { namespace, service, port } }",
        ],
        [
            "a misspelt binding key",
            "green",
            a => {
                a.bindings.web.namespce = "shop";
            },
            'bindings.web.namespce: got "shop"; unknown key; expected one of namespace, service, port, portName, targetPort, name, ipAddressType',
        ],
        [
            "two bindings with one TGB name in a namespace",
            "green",
            a => {
                a.bindings.api.name = "shared-alb-web";
            },
            'bindings.api.name: got "shared-alb-web"; binding "web" already uses the TargetGroupBinding name "shared-alb-web" in namespace "shop"',
        ],
        [
            "an issuer over http",
            "green",
            a => {
                a.oidcIssuer = "http://oidc.eks.eu-west-1.amazonaws.com/id/ABC";
            },
            'oidcIssuer: got "http://oidc.eks.eu-west-1.amazonaws.com/id/ABC"; expected the OIDC issuer URL, with or without https://, e.g. "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"',
        ],
        [
            "an OIDC provider of another account",
            "blue",
            a => {
                a.oidcProviderArn = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/B1";
            },
            'oidcProviderArn: got "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/B1"; expected the OIDC provider of the cluster\'s account 222222222222',
        ],
        [
            "a controller role in another account than the cluster",
            "blue",
            a => {
                a.cluster.controllerRoleArn = "arn:aws:iam::111111111111:role/shared-alb-lbc-blue";
            },
            'cluster.controllerRoleArn: got "arn:aws:iam::111111111111:role/shared-alb-lbc-blue"; expected a role in the cluster\'s account 222222222222',
        ],
        [
            "a registrar role in the cluster's own account",
            "blue",
            a => {
                a.cluster.registrarRoleArn = "arn:aws:iam::222222222222:role/r";
            },
            'cluster.registrarRoleArn: got "arn:aws:iam::222222222222:role/r"; expected a role in the network account, not in the cluster\'s own account 222222222222',
        ],
        [
            "an external ID without a registrar role",
            "green",
            a => {
                a.cluster.externalId = "abc";
            },
            "cluster.externalId: got a secret of 3 characters; an external ID needs a registrarRoleArn (cross-account clusters only)",
        ],
        [
            "cross-account with instance targets",
            "blue",
            a => {
                a.cluster.targetGroups.web.targetType = "instance";
            },
            'cluster.targetGroups.web.targetType: got "instance"; a cross-account cluster must use "ip" targets: the controller\'s webhook rejects instance targets with iamRoleArnToAssume',
        ],
        [
            "a cross-account cluster name over 56 characters",
            "blue",
            a => {
                a.clusterName = "c".repeat(57);
            },
            `clusterName: got "${"c".repeat(57)}"; a cross-account cluster's name must be at most 56 characters (STS session name "AWS-LBC-<clusterName>" is limited to 64)`,
        ],
        [
            "a chart too old for cross-account",
            "blue",
            a => {
                a.controller = { chartVersion: "1.11.0" };
            },
            '2 configuration errors:\n  - controller.chartVersion: got "1.11.0"; expected 1.12.0 or newer: spec.iamRoleArnToAssume exists from controller v2.12.0 (chart 1.12.0)\n' +
                '  - controller.chartVersion: got "1.11.0"; expected 1.13.0 or newer: clusters in RAM-shared subnets need controller v2.13.0 (chart 1.13.0)',
        ],
        [
            "a chart too old for a shared VPC",
            "blue",
            a => {
                a.controller = { chartVersion: "1.12.3" };
            },
            'controller.chartVersion: got "1.12.3"; expected 1.13.0 or newer: clusters in RAM-shared subnets need controller v2.13.0 (chart 1.13.0)',
        ],
        [
            "a newer chart without the policy it needs",
            "green",
            a => {
                a.controller = { chartVersion: "3.6.0" };
            },
            'controller.chartVersion: got "3.6.0"; the controller policy is verified up to chart 3.5.0; use that version, or grant what the newer controller needs in controller.additionalPolicyJson',
        ],
        [
            "a chart version that is not semver",
            "green",
            a => {
                a.controller = { chartVersion: "v3.5.0" };
            },
            'controller.chartVersion: got "v3.5.0"; expected a chart version such as "3.5.0"',
        ],
        [
            "an additional policy granting IAM",
            "green",
            a => {
                a.controller = {
                    additionalPolicyJson: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }],
                    }),
                };
            },
            'controller.additionalPolicyJson.Statement[0]: got "iam:PassRole"; IAM actions, "*" and load balancer/target group creation or deletion are never granted to the controller',
        ],
        [
            "an extra value the component manages",
            "green",
            a => {
                a.controller = { extraValues: { enableServiceMutatorWebhook: true } };
            },
            "controller.extraValues.enableServiceMutatorWebhook: got true; this value is set by the component for TargetGroupBinding-only mode; use the controller options instead",
        ],
        [
            "an extra value the chart does not have",
            "green",
            a => {
                a.controller = { extraValues: { replicas: 3 } };
            },
            'controller.extraValues.replicas: got 3; chart 3.5.0 has no value "replicas" (the chart ignores unknown keys silently)',
        ],
        [
            "zero replicas",
            "green",
            a => {
                a.controller = { replicas: 0 };
            },
            "controller.replicas: got 0; expected an integer from 1 to 10",
        ],
        [
            "a bad controller namespace",
            "green",
            a => {
                a.controller = { namespace: "kube_system" };
            },
            'controller.namespace: got "kube_system"; expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens',
        ],
        [
            "a bad resource quantity",
            "green",
            a => {
                a.controller = { resources: { requests: { memory: "128MB" } } };
            },
            'controller.resources.requests.memory: got "128MB"; expected a Kubernetes quantity such as "100m" or "128Mi"',
        ],
        [
            "install without a role",
            "green",
            a => {
                a.controller = { createRole: false };
            },
            "controller.roleArn: got nothing; with createRole false and install true, give the role the controller's service account should use",
        ],
        [
            "an unknown security group mode",
            "green",
            a => {
                a.securityGroupMode = "open";
            },
            'securityGroupMode: got "open"; expected one of "rules", "controller", "none"',
        ],
        [
            "rules mode without node security groups",
            "green",
            a => {
                a.nodeSecurityGroupIds = {};
            },
            'nodeSecurityGroupIds: got {}; securityGroupMode "rules" needs the nodes\' security groups; give at least one, or set securityGroupMode "none"',
        ],
        [
            "a bad node security group",
            "green",
            a => {
                a.nodeSecurityGroupIds = { nodes: "sg-123" };
            },
            'nodeSecurityGroupIds.nodes: got "sg-123"; expected a security group ID such as "sg-0123456789abcdef0"',
        ],
        [
            "instance targets in controller mode without a NodePort",
            "green",
            a => {
                a.securityGroupMode = "controller";
                a.cluster.targetGroups.web.targetType = "instance";
            },
            'bindings.web.targetPort: got nothing; instance targets in securityGroupMode "controller" need the Service\'s NodePort as targetPort (or services.<name>.nodePort in the network)',
        ],
        [
            "a managed CRD without installing the controller",
            "green",
            a => {
                a.controller = { install: false };
                a.manageCrd = true;
            },
            "manageCrd: got true; the CRD is managed only with controller.install true; an existing controller's CRD is its installer's",
        ],
        [
            "retainNamespaces for namespaces it does not create",
            "green",
            a => {
                a.retainNamespaces = false;
            },
            "retainNamespaces: got false; only namespaces this component creates can be kept or deleted: set createNamespaces true, or drop retainNamespaces",
        ],
        [
            "createNamespaces that is not a boolean",
            "green",
            a => {
                a.createNamespaces = "yes";
            },
            'createNamespaces: got "yes"; expected true or false',
        ],
        [
            "51 tags (AWS allows 50 per resource; the component adds none)",
            "green",
            a => {
                a.tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "x"]));
            },
            'tags: got "51 tags"; expected at most 50 tags: AWS allows 50 per resource',
        ],
        [
            "a tag value IAM refuses",
            "green",
            a => {
                a.tags = { team: "platform;web" };
            },
            'tags.team: got "platform;web"; expected a string of at most 256 letters, digits, spaces and _.:/=+-@',
        ],
        [
            "a bindingAdmissionPolicy that is not a boolean",
            "green",
            a => {
                a.bindingAdmissionPolicy = "off";
            },
            'bindingAdmissionPolicy: got "off"; expected true or false',
        ],
        [
            "a misspelt top-level key",
            "green",
            a => {
                a.bindigs = {};
            },
            "bindigs: got {}; unknown key; expected one of clusterName, oidcProviderArn, oidcIssuer, vpcId, region, cluster, albSecurityGroupId, bindings, controller, securityGroupMode, nodeSecurityGroupIds, multiClusterTargetGroup, sharedVpc, applyToCluster, labelNamespaces, createNamespaces, retainNamespaces, manageCrd, bindingAdmissionPolicy, tags",
        ],
    ];
    for (const [what, key, mutate, message] of table) {
        it(`refuses ${what}`, () => expect(errorOf(key, mutate)).to.equal(message));
    }

    it("prefixes paths with the root (the cluster stack's config key)", () => {
        expect(
            errorOf(
                "green",
                a => {
                    a.bindings.web.port = 0;
                },
                "alb-fleet:cluster",
            ),
        ).to.equal("alb-fleet:cluster.bindings.web.port: got 0; expected an integer port from 1 to 65535");
    });

    it("asks for the Service port of a binding whose other fields are refused too", () => {
        expect(
            errorOf("green", a => {
                a.bindings.web = {};
            }).split("\n"),
        ).to.deep.equal([
            "3 configuration errors:",
            "  - bindings.web.namespace: got nothing; expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens",
            "  - bindings.web.service: got nothing; expected a DNS-1123 label: at most 63 lower-case letters, digits and inner hyphens",
            "  - bindings.web.port: got nothing; expected the Service port: port (1 to 65535) or portName",
        ]);
    });

    it("reports every problem at once", () => {
        const message = errorOf("blue", a => {
            a.bindings.web.port = 0;
            a.controller = { replicas: 11 };
            a.region = "Europe";
        });
        expect(message.split("\n")).to.deep.equal([
            "3 configuration errors:",
            "  - bindings.web.port: got 0; expected an integer port from 1 to 65535",
            "  - controller.replicas: got 11; expected an integer from 1 to 10",
            '  - region: got "Europe"; expected an AWS region such as "eu-west-1"',
        ]);
    });

    it("accepts every port from 1 to 65535 and refuses everything outside", () => {
        fc.assert(
            fc.property(fc.integer({ min: -100000, max: 200000 }), port => {
                const args = attachmentArgs("green", {
                    bindings: { web: { namespace: "shop", service: "web", port, targetPort: port } },
                });
                let ok = true;
                try {
                    planOf(args);
                } catch {
                    ok = false;
                }
                return ok === (port >= 1 && port <= 65535);
            }),
        );
    });

    it("accepts issuers with and without https://", () => {
        for (const oidcIssuer of ["https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", "oidc.eks.eu-west-1.amazonaws.com/id/ABC"]) {
            expect(() => planOf(attachmentArgs("green", { oidcIssuer }))).to.not.throw();
        }
    });
});
