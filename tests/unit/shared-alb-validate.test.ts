import { expect } from "chai";
import fc from "fast-check";
import { listenerPlan } from "../../components/shared-alb/rules";
import { PreviewTokenPattern, validateSharedAlbArgs } from "../../components/shared-alb/validate";
import { exampleNetworkArgs, networkMessages } from "../fixtures/network";

type Args = Record<string, any>;

const messagesOf = networkMessages;

/** The refusal of preview routes that anyone may use, on `where`, with `header`. */
const OpenPreview = (where: string, header: string) =>
    `preview routes on ${where} let anyone who sends "${header}: <cluster key>" (keys are easy to guess) reach ` +
    "a cluster before it takes traffic: restrict them with preview.sourceCidrs (the networks testers connect from) " +
    "and/or preview.token (a secret the header value must carry: <cluster key>.<token>)";

/** The refusal of `instance` targets for a cross-account cluster of the example (account 222222222222), with `fix`. */
const crossAccountInstance = (cluster: string, fix: string) =>
    `cluster ${cluster} is in account 222222222222, not the ALB's 111111111111: its TargetGroupBindings ` +
    'assume the registrar role (iamRoleArnToAssume), and the AWS Load Balancer Controller\'s webhook rejects "instance" targets with an assumed role; ' +
    `expected "ip" for cluster ${cluster}: ${fix}`;

const TokenAllowed = "expected 16 to 100 characters of letters, digits and ._~+/=- (for example the output of `openssl rand -hex 24`)";

/** Adopts an existing ALB and listener instead of creating them. */
function adopt(a: Args): void {
    a.loadBalancer = {
        existingArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/0123456789abcdef",
        existingListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/edge/0123456789abcdef/00000000000000aa",
        existingSecurityGroupId: "sg-0123456789abcdef0",
    };
}

describe("validateSharedAlbArgs", () => {
    it("defaults the example fleet exactly", () => {
        const model = validateSharedAlbArgs(exampleNetworkArgs());
        expect(model.partition).to.equal("aws");
        expect(model.loadBalancer).to.deep.equal({
            name: "shop-edge",
            internal: false,
            existingArn: undefined,
            existingListenerArn: undefined,
            existingSecurityGroupId: undefined,
            certificateCount: 1,
            extraCertificateArns: [],
            certificateArns: ["arn:aws:acm:eu-west-1:111111111111:certificate/5f1c2d3e-0a1b-4c5d-8e9f-0123456789ab"],
            allowPlainHttp: false,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            ingressCidrs: ["0.0.0.0/0"],
            ingressPrefixListIds: [],
            idleTimeout: 60,
            accessLogs: undefined,
            desyncMitigationMode: undefined,
            webAcl: false,
            webAclArn: undefined,
            protect: true,
        });
        // The older single vpcCidr becomes the list, primary first.
        expect([model.region, model.vpcCidrs, model.preview]).to.deep.equal(["eu-west-1", ["10.0.0.0/16"], undefined]);
        expect(model).to.not.have.property("vpcCidr");
        expect(model.clusters.blue).to.deep.equal({
            key: "blue",
            accountId: "222222222222",
            weight: 100,
            crossAccount: true,
            controllerRoleName: "shared-alb-lbc-blue",
            controllerRoleArn: "arn:aws:iam::222222222222:role/shared-alb-lbc-blue",
            registrarRoleName: "shop-edge-registrar-blue",
            externalId: "generated",
            services: ["api", "web"],
            previewSlot: 3,
            previewSlotGiven: false,
            retiring: false,
        });
        expect(model.clusters.green).to.deep.equal({
            key: "green",
            accountId: "111111111111",
            weight: 0,
            crossAccount: false,
            controllerRoleName: "shared-alb-lbc-green",
            controllerRoleArn: "arn:aws:iam::111111111111:role/shared-alb-lbc-green",
            registrarRoleName: undefined,
            externalId: undefined,
            services: ["api", "web"],
            previewSlot: 4,
            previewSlotGiven: false,
            retiring: false,
        });
        expect(model.services.web).to.deep.include({
            name: "web",
            port: 8080,
            protocol: "HTTP",
            targetType: "ip",
            nodePort: undefined,
            hosts: ["shop.example.com"],
            paths: [],
            priority: 44020,
            explicitPriority: false,
            clusters: ["blue", "green"],
            previewPriorities: {},
            weights: { blue: 100, green: 0 },
            deregistrationDelay: 30,
            slowStart: 0,
            stickinessDuration: undefined,
        });
        const healthCheck = {
            path: "/healthz",
            port: undefined,
            protocol: "HTTP",
            matcher: "200-399",
            interval: 15,
            timeout: 5,
            healthyThreshold: 3,
            unhealthyThreshold: 3,
        };
        expect(model.services.web.healthCheck).to.deep.equal(healthCheck);
        expect(model.services.web.targetGroups).to.deep.equal({
            blue: { name: "blue-web-17b62d5a", port: 8080, protocol: "HTTP", targetType: "ip", nodePort: undefined, healthCheck },
            green: { name: "green-web-1a30dff7", port: 8080, protocol: "HTTP", targetType: "ip", nodePort: undefined, healthCheck },
        });
    });

    it("makes an internal ALB reachable from the VPC only by default", () => {
        const args = exampleNetworkArgs();
        args.loadBalancer.internal = true;
        expect(validateSharedAlbArgs(args).loadBalancer.ingressCidrs).to.deep.equal(["10.0.0.0/16"]);
    });

    it("builds every ARN in the region's partition, and refuses no region at all (callers put the provider's in the arguments)", () => {
        const args = exampleNetworkArgs();
        args.region = "us-gov-west-1";
        const gov = validateSharedAlbArgs(args);
        expect([gov.region, gov.partition, gov.clusters.blue.controllerRoleArn]).to.deep.equal([
            "us-gov-west-1",
            "aws-us-gov",
            "arn:aws-us-gov:iam::222222222222:role/shared-alb-lbc-blue",
        ]);
        args.region = "cn-northwest-1";
        expect(validateSharedAlbArgs(args).clusters.green.controllerRoleArn).to.equal(
            "arn:aws-cn:iam::111111111111:role/shared-alb-lbc-green",
        );
        delete args.region;
        expect(() => validateSharedAlbArgs(args)).to.throw(
            'region: got nothing; expected an AWS region such as "eu-west-1"; give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)',
        );
    });

    it("takes every CIDR of the VPC, primary first, for egress and an internal ALB's ingress", () => {
        const args = exampleNetworkArgs();
        delete args.vpcCidr;
        args.vpcCidrs = ["10.0.0.0/16", "100.64.0.0/16"];
        args.loadBalancer.internal = true;
        const model = validateSharedAlbArgs(args);
        expect([model.vpcCidrs, model.loadBalancer.ingressCidrs]).to.deep.equal([
            ["10.0.0.0/16", "100.64.0.0/16"],
            ["10.0.0.0/16", "100.64.0.0/16"],
        ]);
    });

    it("narrows a cluster to the services it runs: target groups, weights and preview rules follow", () => {
        const args = exampleNetworkArgs();
        args.clusters.green.services = ["web"];
        args.preview = { sourceCidrs: ["203.0.113.0/24"] };
        const model = validateSharedAlbArgs(args);
        expect(model.clusters.green.services).to.deep.equal(["web"]);
        expect(model.services.api).to.deep.include({ clusters: ["blue"], weights: { blue: 100 }, previewPriorities: { blue: 31743 } });
        expect(Object.keys(model.services.api.targetGroups)).to.deep.equal(["blue"]);
        expect(model.services.web).to.deep.include({ clusters: ["blue", "green"], previewPriorities: { blue: 44013, green: 44014 } });
        expect(model.preview).to.deep.equal({
            header: "x-shared-alb-cluster",
            sourceCidrs: ["203.0.113.0/24"],
            token: false,
            defaultActionPriorities: {},
        });
    });

    it("keeps preview routes open on an internal ALB, and takes a token (read apart: the model only knows there is one)", () => {
        const internal = exampleNetworkArgs();
        internal.loadBalancer.internal = true;
        internal.preview = {};
        expect(validateSharedAlbArgs(internal).preview).to.deep.equal({
            header: "x-shared-alb-cluster",
            sourceCidrs: [],
            token: false,
            defaultActionPriorities: {},
        });
        const tokened = exampleNetworkArgs();
        tokened.preview = { token: "0123456789abcdef0123", sourceCidrs: ["203.0.113.0/24", "198.51.100.7/32"] };
        const model = validateSharedAlbArgs(tokened);
        expect(model.preview).to.deep.equal({
            header: "x-shared-alb-cluster",
            sourceCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
            token: true,
            defaultActionPriorities: {},
        });
        expect(JSON.stringify(model)).to.not.include("0123456789abcdef0123");
    });

    it("never shows a secret it refuses, whatever is wrong with it", () => {
        // Every token starts with a mark no message has, so finding it in one means the token leaked.
        const refused = fc
            .string({ maxLength: 140 })
            .map(t => `Zq9~${t}`)
            .filter(t => !PreviewTokenPattern.test(t));
        fc.assert(
            fc.property(refused, token => {
                const messages = messagesOf(a => {
                    a.preview = { token };
                    a.clusters.blue.externalId = `${token} `;
                });
                expect(messages).to.have.length(2);
                for (const m of messages) {
                    expect(m.includes(token), m).to.equal(false);
                }
            }),
        );
    });

    it("places an explicit priority's preview rules in the nine priorities below it", () => {
        const args = exampleNetworkArgs();
        args.preview = { sourceCidrs: ["203.0.113.0/24"] };
        args.defaultService = "web";
        args.services.api.priority = 100;
        const model = validateSharedAlbArgs(args);
        expect([model.services.api.priority, model.services.api.previewPriorities]).to.deep.equal([100, { blue: 93, green: 94 }]);
        expect(model.preview!.defaultActionPriorities).to.deep.equal({ blue: 49993, green: 49994 });
    });

    it("gives a cluster its own target group settings with serviceOverrides: only its target group's name and settings follow", () => {
        const args = exampleNetworkArgs();
        args.services.api.healthCheck = { path: "/healthz", port: 9901 };
        args.clusters.green.serviceOverrides = { api: { port: 9100, protocol: "HTTPS", healthCheck: { path: "/ready" } } };
        const model = validateSharedAlbArgs(args);
        const api = model.services.api;
        expect([api.port, api.protocol, api.healthCheck.path]).to.deep.equal([9000, "HTTP", "/healthz"]);
        expect(api.targetGroups.blue).to.deep.include({ name: "blue-api-be0a9408", port: 9000, protocol: "HTTP", targetType: "ip" });
        expect(api.targetGroups.green).to.deep.equal({
            name: "green-api-0fdeae76",
            port: 9100,
            protocol: "HTTPS",
            targetType: "ip",
            nodePort: undefined,
            // Merged key by key over the service's health check; the protocol follows green's.
            healthCheck: {
                path: "/ready",
                port: 9901,
                protocol: "HTTPS",
                matcher: "200-399",
                interval: 15,
                timeout: 5,
                healthyThreshold: 3,
                unhealthyThreshold: 3,
            },
        });
        expect(model.services.web.targetGroups.green.name).to.equal("green-web-1a30dff7");
    });

    it("carries a service's NodePort to clusters that keep instance targets, and takes a cluster's own", () => {
        const args = exampleNetworkArgs();
        args.services.web = { ...args.services.web, targetType: "instance", nodePort: 30080 };
        // Instance targets are for clusters in the ALB's account (a cross-account one is refused them: see the table below).
        args.clusters.blue.accountId = "111111111111";
        args.clusters.green.serviceOverrides = { web: { targetType: "ip" } };
        args.clusters.red = { accountId: "111111111111", weight: 1, serviceOverrides: { web: { nodePort: 31080 } } };
        const tgs = validateSharedAlbArgs(args).services.web.targetGroups;
        expect(Object.fromEntries(Object.entries(tgs).map(([k, t]) => [k, [t.targetType, t.nodePort]]))).to.deep.equal({
            blue: ["instance", 30080],
            green: ["ip", undefined],
            red: ["instance", 31080],
        });
    });

    it("keeps a retiring cluster's target groups and registrar role, at weight 0 and without preview rules", () => {
        const args = exampleNetworkArgs();
        args.preview = { sourceCidrs: ["203.0.113.0/24"] };
        args.defaultService = "web";
        args.clusters.blue = { accountId: "222222222222", retiring: true };
        args.clusters.green.weight = 100;
        const model = validateSharedAlbArgs(args);
        expect(model.clusters.blue).to.deep.include({ retiring: true, weight: 0, registrarRoleName: "shop-edge-registrar-blue" });
        expect(model.services.api).to.deep.include({
            clusters: ["blue", "green"],
            weights: { blue: 0, green: 100 },
            previewPriorities: { green: 31744 },
        });
        expect(Object.keys(model.services.api.targetGroups)).to.deep.equal(["blue", "green"]);
        expect(model.preview!.defaultActionPriorities).to.deep.equal({ green: 49994 });
    });

    it("reads a value YAML left empty (null) as absent where absence means the default", () => {
        const args = exampleNetworkArgs();
        args.clusters.green.weight = null;
        args.loadBalancer.idleTimeout = null;
        args.services.web.healthCheck = { path: "/healthz", interval: null };
        const model = validateSharedAlbArgs(args);
        expect([model.clusters.green.weight, model.loadBalancer.idleTimeout, model.services.web.healthCheck.interval]).to.deep.equal([
            0, 60, 15,
        ]);
    });

    it("applies per-service weights over the cluster defaults", () => {
        const args = exampleNetworkArgs();
        args.services.api.weights = { green: 50 };
        expect(validateSharedAlbArgs(args).services.api.weights).to.deep.equal({ blue: 100, green: 50 });
    });

    const table: [string, (a: Args) => void, string[]][] = [
        [
            "a non-object",
            a => {
                for (const k of Object.keys(a)) {
                    delete a[k];
                }
                a.x = 1;
            },
            [
                "x: got 1; unknown key; expected one of accountId, region, vpcId, vpcCidr, vpcCidrs, subnetIds, loadBalancer, clusters, services, defaultService, tags, vpcSharing, preview, deployedAllocation",
                'accountId: got nothing; expected a 12-digit AWS account ID such as "111111111111"',
                'region: got nothing; expected an AWS region such as "eu-west-1"; give region, or the component an AWS provider with a region (the network stack reads it from its aws:region config)',
                'vpcId: got nothing; expected a VPC ID such as "vpc-0123456789abcdef0"',
                'vpcCidrs: got nothing; expected the VPC\'s IPv4 CIDRs, primary first, such as ["10.0.0.0/16"] (or the older vpcCidr)',
                "loadBalancer.certificateArns: got nothing; an internet-facing ALB needs an HTTPS listener: give loadBalancer.certificateArns (ACM certificates), " +
                    "or make it internal (loadBalancer.internal: true), or set loadBalancer.allowPlainHttp: true to serve plain HTTP to the internet",
                "subnetIds: got nothing; expected at least 2 subnets in different Availability Zones (an ALB needs two)",
                "clusters: got nothing; expected at least one cluster: { <key>: { accountId, weight } }",
                "services: got nothing; expected at least one service: { <name>: { port, hosts | paths } }",
            ],
        ],
        [
            "a weight above 999",
            a => {
                a.clusters.blue.weight = 1000;
            },
            ["clusters.blue.weight: got 1000; expected an integer from 0 to 999"],
        ],
        // One pass finds every problem, and says each once, where it is.
        [
            "an empty service: its port, and a host or path",
            a => {
                a.services.api = {};
            },
            [
                "services.api.port: got nothing; expected an integer port from 1 to 65535",
                "services.api.hosts: got []; expected at least one host or path (only the defaultService may have neither)",
            ],
        ],
        [
            "the defaultService's own port (the service is still known)",
            a => {
                a.defaultService = "web";
                a.services.web.port = 0;
            },
            ["services.web.port: got 0; expected an integer port from 1 to 65535"],
        ],
        [
            "a cluster's own account ID, not the weights that name the cluster",
            a => {
                a.clusters.green.accountId = "x";
                a.services.web.weights = { green: 5 };
            },
            ['clusters.green.accountId: got "x"; expected a 12-digit AWS account ID such as "111111111111"'],
        ],
        [
            "a fractional weight",
            a => {
                a.clusters.blue.weight = 1.5;
            },
            ["clusters.blue.weight: got 1.5; expected an integer from 0 to 999"],
        ],
        [
            "a weight as text",
            a => {
                a.services.web.weights = { blue: "7" };
            },
            ['services.web.weights.blue: got "7"; expected an integer from 0 to 999'],
        ],
        [
            "a short account",
            a => {
                a.clusters.blue.accountId = "2222";
            },
            ['clusters.blue.accountId: got "2222"; expected a 12-digit AWS account ID such as "111111111111"'],
        ],
        // YAML reads an unquoted `accountId: 012345678901` as 12345678901, and 111111111111 as a number.
        [
            "an account ID YAML read as a number, leading zero lost",
            a => {
                a.accountId = 12345678901;
            },
            [
                "accountId: got 12345678901; " +
                    'expected a 12-digit AWS account ID such as "111111111111"; quote it in YAML: "012345678901" (unquoted, YAML reads it as the number 12345678901)',
            ],
        ],
        [
            "a cluster's account ID YAML read as a number",
            a => {
                a.clusters.blue.accountId = 222222222222;
            },
            [
                "clusters.blue.accountId: got 222222222222; " +
                    'expected a 12-digit AWS account ID such as "111111111111"; quote it in YAML: "222222222222" (unquoted, YAML reads it as the number 222222222222)',
            ],
        ],
        [
            "a number too long for an account ID, without the quoting hint",
            a => {
                a.accountId = 1234567890123;
            },
            ['accountId: got 1234567890123; expected a 12-digit AWS account ID such as "111111111111"'],
        ],
        [
            "a bad VPC ID",
            a => {
                a.vpcId = "vpc-xyz";
            },
            ['vpcId: got "vpc-xyz"; expected a VPC ID such as "vpc-0123456789abcdef0"'],
        ],
        [
            "a single subnet",
            a => {
                a.subnetIds = ["subnet-0a1b2c3d4e5f60001"];
            },
            ['subnetIds: got ["subnet-0a1b2c3d4e5f60001"]; expected at least 2 subnets in different Availability Zones (an ALB needs two)'],
        ],
        [
            "a duplicate subnet",
            a => {
                a.subnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"];
            },
            ['subnetIds[1]: got "subnet-0a1b2c3d4e5f60001"; expected no duplicates'],
        ],
        [
            "a bad subnet ID",
            a => {
                a.subnetIds[1] = "sn-1";
            },
            ['subnetIds[1]: got "sn-1"; expected a subnet ID such as "subnet-0123456789abcdef0"'],
        ],
        [
            "empty clusters",
            a => {
                a.clusters = {};
            },
            ["clusters: got {}; expected at least one cluster: { <key>: { accountId, weight } }"],
        ],
        [
            "empty services",
            a => {
                a.services = {};
            },
            ["services: got {}; expected at least one service: { <name>: { port, hosts | paths } }"],
        ],
        [
            "an upper-case cluster key",
            a => {
                a.clusters.Blue = a.clusters.blue;
                delete a.clusters.blue;
            },
            ['clusters.Blue: got "Blue"; cluster key: expected lower-case letters, digits and inner hyphens (at most 20 characters)'],
        ],
        [
            "a weight for an unknown cluster",
            a => {
                a.services.web.weights = { red: 5 };
            },
            ["services.web.weights.red: got 5; expected a weight for a known cluster; clusters are: blue, green"],
        ],
        [
            "six clusters running a service, weight 0 included",
            a => {
                for (let i = 0; i < 4; i++) {
                    a.clusters[`c${i}`] = { accountId: "333333333333", weight: 0, services: ["web"] };
                }
            },
            [
                'services.web.weights: got {"blue":100,"green":0,"c0":0,"c1":0,"c2":0,"c3":0}; expected at most 5 clusters running the service: every one is in its forward action, weight 0 included, and a forward takes at most 5 target groups; narrow clusters.<key>.services',
            ],
        ],
        [
            "a duplicate priority",
            a => {
                a.services.web.priority = 10;
                a.services.api.priority = 10;
            },
            ["services.api.priority: got 10; expected a priority unique on the listener; services.web has it"],
        ],
        [
            "a priority in the derived range",
            a => {
                a.services.web.priority = 1000;
            },
            [
                "services.web.priority: got 1000; expected an integer (explicit priorities precede every derived one, which start at 1010) from 1 to 999",
            ],
        ],
        [
            "both vpcCidr and vpcCidrs",
            a => {
                a.vpcCidrs = ["10.0.0.0/16"];
            },
            ['vpcCidr: got "10.0.0.0/16"; give vpcCidrs (every CIDR of the VPC, primary first) or the older vpcCidr, not both'],
        ],
        [
            "an empty vpcCidrs and a bad one",
            a => {
                delete a.vpcCidr;
                a.vpcCidrs = [];
            },
            ["vpcCidrs: got []; expected at least one CIDR: the VPC's primary CIDR first, then any secondary ones"],
        ],
        [
            "a duplicate secondary CIDR",
            a => {
                delete a.vpcCidr;
                a.vpcCidrs = ["10.0.0.0/16", "100.64.0.0/33", "10.0.0.0/16"];
            },
            [
                'vpcCidrs[1]: got "100.64.0.0/33"; expected an IPv4 CIDR such as "10.0.0.0/16"',
                'vpcCidrs[2]: got "10.0.0.0/16"; expected no duplicates',
            ],
        ],
        [
            "a cluster running an unknown service",
            a => {
                a.clusters.green.services = ["web", "shop"];
            },
            ['clusters.green.services[1]: got "shop"; expected one of the services: web, api'],
        ],
        [
            "a cluster running nothing",
            a => {
                a.clusters.green.services = [];
            },
            ["clusters.green.services: got []; expected at least one service (leave services out for all of them, or remove the cluster)"],
        ],
        [
            "a weight for a cluster that does not run the service",
            a => {
                a.clusters.green.services = ["web"];
                a.services.api.weights = { green: 10 };
            },
            [
                "services.api.weights.green: got 10; cluster green does not run service api: add api to clusters.green.services, or drop the weight",
            ],
        ],
        [
            "a preview slot of 10",
            a => {
                a.clusters.green.previewSlot = 10;
            },
            ["clusters.green.previewSlot: got 10; expected an integer from 1 to 9"],
        ],
        [
            "two clusters given one preview slot",
            a => {
                a.preview = { sourceCidrs: ["203.0.113.0/24"] };
                a.clusters.blue.previewSlot = 3;
                a.clusters.green.previewSlot = 3;
            },
            [
                "clusters.green.previewSlot: got 3; clusters.blue has preview slot 3 too and both run api, web: their preview rules would take the same priorities; set clusters.green.previewSlot to a free slot (1, 2, 4, 5, 6, 7, 8, 9), or leave it out",
            ],
        ],
        [
            "a preview header with a space",
            a => {
                a.preview = { header: "x cluster" };
            },
            ['preview.header: got "x cluster"; expected an HTTP header name: 1 to 40 letters, digits and !#$%&\'+.^_`|~-'],
        ],
        [
            "the Host header for previews",
            a => {
                a.preview = { header: "Host" };
            },
            ['preview.header: got "Host"; the Host header cannot be an http-header condition; pick another name'],
        ],
        [
            "a host without a top-level domain",
            a => {
                a.services.web.hosts = ["localhost", "shop.example.c0m"];
            },
            [
                "services.web.hosts[0]: got \"localhost\"; expected a host name of at most 128 letters, digits, '-', '.', '*' and '?', with a '.' followed by letters only at the end (\"shop.example.com\", \"*.example.com\")",
                "services.web.hosts[1]: got \"shop.example.c0m\"; expected a host name of at most 128 letters, digits, '-', '.', '*' and '?', with a '.' followed by letters only at the end (\"shop.example.com\", \"*.example.com\")",
            ],
        ],
        [
            "a path that matches every path",
            a => {
                a.services.api.paths = ["/*"];
            },
            [
                "services.api.paths[0]: got \"/*\"; matches every path: leave paths out instead (a pattern needs a literal character after the leading '/')",
            ],
        ],
        [
            "six wildcards in one rule",
            a => {
                a.services.api.paths = ["/a*/*", "/?/*"];
                a.services.api.hosts = ["*.example.com", "?.example.io"];
            },
            [
                'services.api.hosts: got {"hosts":["*.example.com","?.example.io"],"paths":["/a*/*","/?/*"]}; expected at most 5 wildcards (\'*\', \'?\') in hosts and paths together (per ALB rule); got 6',
            ],
        ],
        [
            "a NodePort for ip targets and one outside the range",
            a => {
                a.services.web.nodePort = 31000;
                a.services.api.targetType = "instance";
                a.services.api.nodePort = 8080;
            },
            [
                'services.web.nodePort: got 31000; allowed only with targetType "instance" (ip targets are reached on port)',
                "services.api.nodePort: got 8080; expected a NodePort from 30000 to 32767",
            ],
        ],
        [
            "a port of 0",
            a => {
                a.services.web.port = 0;
            },
            ["services.web.port: got 0; expected an integer port from 1 to 65535"],
        ],
        [
            "a TCP protocol",
            a => {
                a.services.web.protocol = "TCP";
            },
            ['services.web.protocol: got "TCP"; expected one of "HTTP", "HTTPS"'],
        ],
        [
            "a lambda target",
            a => {
                a.services.web.targetType = "lambda";
            },
            ['services.web.targetType: got "lambda"; expected one of "ip", "instance"'],
        ],
        [
            "a timeout equal to the interval",
            a => {
                a.services.web.healthCheck = { interval: 10, timeout: 10 };
            },
            ["services.web.healthCheck.timeout: got 10; expected a timeout below the interval (10 s)"],
        ],
        [
            "an interval of 301",
            a => {
                a.services.web.healthCheck = { interval: 301 };
            },
            ["services.web.healthCheck.interval: got 301; expected an integer number of seconds from 5 to 300"],
        ],
        [
            "a threshold of 11",
            a => {
                a.services.api.healthCheck.healthyThreshold = 11;
            },
            ["services.api.healthCheck.healthyThreshold: got 11; expected an integer from 2 to 10"],
        ],
        [
            "a bad matcher",
            a => {
                a.services.api.healthCheck.matcher = "2xx";
            },
            ['services.api.healthCheck.matcher: got "2xx"; expected HTTP codes 100..599 as "200", "200-299" or "200,204"'],
        ],
        [
            "a deregistration delay of 3601",
            a => {
                a.services.web.deregistrationDelay = 3601;
            },
            ["services.web.deregistrationDelay: got 3601; expected an integer number of seconds from 0 to 3600"],
        ],
        [
            "a slow start of 10",
            a => {
                a.services.web.slowStart = 10;
            },
            ["services.web.slowStart: got 10; expected 0 (off) or an integer from 30 to 900 seconds"],
        ],
        [
            "an ALB name starting with internal-",
            a => {
                a.loadBalancer.name = "internal-edge";
            },
            [
                'loadBalancer.name: got "internal-edge"; expected at most 32 letters, digits and hyphens, no leading or trailing hyphen, not starting with "internal-"',
            ],
        ],
        [
            "an ALB name of 33 characters",
            a => {
                a.loadBalancer.name = "a".repeat(33);
            },
            [
                `loadBalancer.name: got "${"a".repeat(33)}"; expected at most 32 letters, digits and hyphens, no leading or trailing hyphen, not starting with "internal-"`,
            ],
        ],
        [
            "a service without conditions",
            a => {
                a.services.web.hosts = [];
            },
            ["services.web.hosts: got []; expected at least one host or path (only the defaultService may have neither)"],
        ],
        [
            "an unknown default service",
            a => {
                a.defaultService = "shop";
            },
            ['defaultService: got "shop"; expected one of the services: web, api'],
        ],
        [
            "a misspelt key",
            a => {
                a.services.web.prot = "HTTP";
            },
            [
                'services.web.prot: got "HTTP"; unknown key; expected one of port, protocol, targetType, nodePort, hosts, paths, priority, shadows, weights, healthCheck, deregistrationDelay, slowStart, stickiness',
            ],
        ],
        [
            "a listener without an existing ALB",
            a => {
                delete a.loadBalancer.certificateArns;
                a.loadBalancer.allowPlainHttp = true;
                a.loadBalancer.existingListenerArn =
                    "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/edge/0123456789abcdef/0123456789abcdef";
            },
            [
                'loadBalancer.existingListenerArn: got "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/edge/0123456789abcdef/0123456789abcdef"; allowed only with loadBalancer.existingArn',
            ],
        ],
        [
            "an external ID for a same-account cluster",
            a => {
                a.clusters.green.externalId = "abc";
            },
            [
                "clusters.green.externalId: got a secret of 3 characters; allowed only for a cluster in another account than accountId (same-account clusters assume no role)",
            ],
        ],
        [
            "a world CIDR typo",
            a => {
                a.loadBalancer.ingressCidrs = ["0.0.0.0/33"];
            },
            ['loadBalancer.ingressCidrs[0]: got "0.0.0.0/33"; expected IPv4 CIDRs such as "203.0.113.0/24"'],
        ],
        [
            "two services with the same conditions",
            a => {
                a.services.api.paths = [];
                a.services.api.hosts = ["shop.example.com"];
            },
            [
                'services.api.hosts: got {"hosts":["shop.example.com"],"paths":[]}; expected conditions different from services.web\'s: two rules with the same hosts and paths shadow each other',
            ],
        ],
        [
            "four values in one condition",
            a => {
                a.services.web.paths = ["/a", "/b", "/c", "/d"];
            },
            ['services.web.paths: got ["/a","/b","/c","/d"]; expected at most 3 (values of one ALB rule condition)'],
        ],
        [
            "six condition values",
            a => {
                a.services.web.paths = ["/a", "/b", "/c"];
                a.services.web.hosts = ["shop.example.com", "shop.example.io", "shop.example.org"];
            },
            [
                'services.web.hosts: got {"hosts":["shop.example.com","shop.example.io","shop.example.org"],"paths":["/a","/b","/c"]}; expected at most 5 hosts and paths together (match evaluations per ALB rule)',
            ],
        ],
        [
            "five condition values with preview routes",
            a => {
                a.preview = { sourceCidrs: ["203.0.113.0/24"] };
                a.services.web.paths = ["/a", "/b"];
                a.services.web.hosts = ["shop.example.com", "shop.example.io", "shop.example.org"];
            },
            [
                'services.web.hosts: got {"hosts":["shop.example.com","shop.example.io","shop.example.org"],"paths":["/a","/b"]}; expected at most 3 hosts and paths together with preview routes on: a preview rule adds the header and the 1 preview.sourceCidrs to them, and an ALB rule evaluates at most 5 condition values; give fewer hosts or paths, or fewer preview.sourceCidrs',
            ],
        ],
        [
            "five condition values with a token",
            a => {
                a.preview = { token: "0123456789abcdef0123" };
                a.services.web.paths = ["/a", "/b"];
                a.services.web.hosts = ["shop.example.com", "shop.example.io", "shop.example.org"];
            },
            [
                'services.web.hosts: got {"hosts":["shop.example.com","shop.example.io","shop.example.org"],"paths":["/a","/b"]}; expected at most 4 hosts and paths together with preview routes on: a preview rule adds the header to them, and an ALB rule evaluates at most 5 condition values',
            ],
        ],
        [
            "open preview routes on an internet-facing ALB",
            a => {
                a.preview = {};
            },
            [
                `preview: got {}; ${OpenPreview("an internet-facing ALB", "x-shared-alb-cluster")}, or make the ALB internal (loadBalancer.internal: true)`,
            ],
        ],
        [
            "open preview routes with their own header",
            a => {
                a.preview = { header: "X-Canary", sourceCidrs: null, token: null };
            },
            [
                `preview: got {"header":"X-Canary","sourceCidrs":null,"token":null}; ${OpenPreview("an internet-facing ALB", "X-Canary")}, or make the ALB internal (loadBalancer.internal: true)`,
            ],
        ],
        [
            "open preview routes on an adopted ALB",
            a => {
                adopt(a);
                a.preview = {};
            },
            [`preview: got {}; ${OpenPreview("an adopted ALB (which may face the Internet)", "x-shared-alb-cluster")}`],
        ],
        [
            "preview routes open to every source",
            a => {
                a.preview = { sourceCidrs: ["0.0.0.0/0"] };
            },
            [
                'preview.sourceCidrs[0]: got "0.0.0.0/0"; matches every source, so it restricts nothing: name the networks testers connect from (or leave sourceCidrs out and give preview.token)',
            ],
        ],
        [
            "preview source CIDRs that are no CIDRs, or none",
            a => {
                a.preview = { sourceCidrs: ["203.0.113.0", "198.51.100.0/24", "198.51.100.0/24"] };
            },
            [
                'preview.sourceCidrs[0]: got "203.0.113.0"; expected IPv4 CIDRs such as "203.0.113.0/24": the networks testers connect from',
                'preview.sourceCidrs[2]: got "198.51.100.0/24"; expected no duplicates',
            ],
        ],
        [
            "an empty list of preview sources",
            a => {
                a.preview = { sourceCidrs: [] };
            },
            ["preview.sourceCidrs: got []; expected at least one CIDR (leave sourceCidrs out for any source)"],
        ],
        [
            "four preview source CIDRs",
            a => {
                a.preview = { sourceCidrs: ["203.0.113.0/26", "203.0.113.64/26", "203.0.113.128/26", "203.0.113.192/26"] };
            },
            [
                'preview.sourceCidrs: got ["203.0.113.0/26","203.0.113.64/26","203.0.113.128/26","203.0.113.192/26"]; expected at most 3 CIDRs (the values of one ALB rule condition)',
            ],
        ],
        [
            "a short preview token",
            a => {
                a.preview = { token: "0123456789" };
            },
            [`preview.token: got a secret of 10 characters; ${TokenAllowed}`],
        ],
        [
            "a preview token with a wildcard",
            a => {
                a.preview = { token: "0123456789abcdef*" };
            },
            [
                `preview.token: got a secret of 17 characters; '*' and '?' are wildcards in an ALB header condition, so a token with them would match other values too; ${TokenAllowed}`,
            ],
        ],
        [
            "a preview token of 101 characters",
            a => {
                a.preview = { token: "x".repeat(101) };
            },
            [`preview.token: got a secret of 101 characters; ${TokenAllowed}`],
        ],
        [
            "a preview token with a space",
            a => {
                a.preview = { token: "correct horse battery staple" };
            },
            [`preview.token: got a secret of 28 characters; ${TokenAllowed}`],
        ],
        [
            "a preview token that is a number",
            a => {
                a.preview = { token: 1234567890123456 };
            },
            [`preview.token: got a secret that is a number, not a string; ${TokenAllowed}`],
        ],
        [
            "a bad external ID",
            a => {
                a.clusters.blue.externalId = "not allowed here";
            },
            ["clusters.blue.externalId: got a secret of 16 characters; expected 2 to 1224 characters of letters, digits and +=,.@:/_-"],
        ],
        [
            "two overlapping services the derived order cannot rank",
            a => {
                a.services.shop = { port: 8080, hosts: ["sh?p.example.com"] };
            },
            [
                'services.shop: got {"hosts":["sh?p.example.com"],"paths":[]}; services.web and services.shop both match a request (host shop.example.com, any path) at the same specificity (both rank as host only: 15-16 literal characters): nothing says which one gets it; add shop to services.web.shadows for web to get it (or web to services.shop.shadows), or give one a priority (1..999, lower wins)',
            ],
        ],
        [
            "an explicit priority too low for its preview rules",
            a => {
                a.preview = { sourceCidrs: ["203.0.113.0/24"] };
                a.services.api.priority = 5;
            },
            [
                "services.api.priority: got 5; the preview rule of services.api for cluster blue would have priority -2: with preview routes an explicit priority takes the 9 below it for preview rules; use 10..999",
                "services.api.priority: got 5; the preview rule of services.api for cluster green would have priority -1: with preview routes an explicit priority takes the 9 below it for preview rules; use 10..999",
            ],
        ],
        [
            "explicit priorities closer than ten with preview routes",
            a => {
                a.preview = { sourceCidrs: ["203.0.113.0/24"] };
                a.services.web.priority = 20;
                a.services.api.priority = 14;
            },
            [
                "services.web.priority: got 20; the preview rule of services.web for cluster green would have priority 14, which services.api has: with preview routes an explicit priority takes the 9 below it for preview rules; space explicit priorities 10 apart",
            ],
        ],
        [
            "stickiness of a week and a second",
            a => {
                a.services.web.stickiness = { duration: 604801 };
            },
            ["services.web.stickiness.duration: got 604801; expected an integer number of seconds from 1 to 604800"],
        ],
        [
            "an AWS tag key",
            a => {
                a.tags = { "aws:x": "y" };
            },
            ['tags["aws:x"]: got "aws:x"; expected a tag key of 1..128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"'],
        ],
        [
            "overrides of a port of 0 and a TCP protocol",
            a => {
                a.clusters.green.serviceOverrides = { api: { port: 0, protocol: "TCP" } };
            },
            [
                "clusters.green.serviceOverrides.api.port: got 0; expected an integer port from 1 to 65535",
                'clusters.green.serviceOverrides.api.protocol: got "TCP"; expected one of "HTTP", "HTTPS"',
            ],
        ],
        [
            "an override of an unknown service",
            a => {
                a.clusters.green.serviceOverrides = { admin: { port: 9100 } };
            },
            ['clusters.green.serviceOverrides.admin: got {"port":9100}; expected one of the services: web, api'],
        ],
        [
            "an override of a service the cluster does not run",
            a => {
                a.clusters.green.services = ["web"];
                a.clusters.green.serviceOverrides = { api: { port: 9100 } };
            },
            [
                'clusters.green.serviceOverrides.api: got {"port":9100}; cluster green does not run service api, so it has no target group to override: add api to clusters.green.services, or drop the override',
            ],
        ],
        [
            "an override of the weight",
            a => {
                a.clusters.green.serviceOverrides = { api: { weight: 5 } };
            },
            [
                "clusters.green.serviceOverrides.api.weight: got 5; unknown key; expected one of port, protocol, targetType, nodePort, healthCheck",
            ],
        ],
        [
            "overrides as a list",
            a => {
                a.clusters.green.serviceOverrides = [{ api: { port: 9100 } }];
            },
            [
                'clusters.green.serviceOverrides: got [{"api":{"port":9100}}]; expected { <service>: { port?, protocol?, targetType?, nodePort?, healthCheck? } }',
            ],
        ],
        [
            "an override's NodePort for ip targets",
            a => {
                a.clusters.green.serviceOverrides = { api: { nodePort: 30080 } };
            },
            [
                'clusters.green.serviceOverrides.api.nodePort: got 30080; allowed only with targetType "instance" (ip targets are reached on port)',
            ],
        ],
        [
            "an override's health check timeout at the service's interval",
            a => {
                a.clusters.green.serviceOverrides = { api: { healthCheck: { timeout: 15 } } };
            },
            ["clusters.green.serviceOverrides.api.healthCheck.timeout: got 15; expected a timeout below the interval (15 s)"],
        ],
        [
            "an override's health check interval at the service's timeout",
            a => {
                a.clusters.green.serviceOverrides = { api: { healthCheck: { interval: 5, mather: "200" } } };
            },
            [
                'clusters.green.serviceOverrides.api.healthCheck.mather: got "200"; unknown key; expected one of path, port, protocol, matcher, interval, timeout, healthyThreshold, unhealthyThreshold',
                "clusters.green.serviceOverrides.api.healthCheck.interval: got 5; expected an interval above the timeout (5 s)",
            ],
        ],
        [
            "instance targets for a cross-account cluster, set by the service",
            a => {
                a.services.web.targetType = "instance";
            },
            [
                `services.web.targetType: got "instance"; ${crossAccountInstance("blue", "set clusters.blue.serviceOverrides.web.targetType: ip for this cluster, or targetType: ip here for every cluster")}`,
            ],
        ],
        [
            "instance targets for a cross-account cluster, set by its override",
            a => {
                a.clusters.blue.serviceOverrides = { api: { targetType: "instance", nodePort: 30090 } };
            },
            [`clusters.blue.serviceOverrides.api.targetType: got "instance"; ${crossAccountInstance("blue", "set it to ip")}`],
        ],
        [
            "instance targets for two cross-account clusters, one of them keeping ip",
            a => {
                a.services.api.targetType = "instance";
                a.clusters.red = { accountId: "333333333333", weight: 0 };
                a.clusters.blue.serviceOverrides = { api: { targetType: "ip" } };
            },
            [
                'services.api.targetType: got "instance"; ' +
                    crossAccountInstance(
                        "red",
                        "set clusters.red.serviceOverrides.api.targetType: ip for this cluster, or targetType: ip here for every cluster",
                    ).replace("222222222222", "333333333333"),
            ],
        ],
        [
            "a retiring cluster with weight",
            a => {
                a.clusters.blue.retiring = true;
            },
            ["clusters.blue.weight: got 100; clusters.blue is retiring and takes no traffic: expected 0 (or leave weight out)"],
        ],
        [
            "a service weight for a retiring cluster",
            a => {
                a.clusters.green.retiring = true;
                a.services.api.weights = { green: 10 };
            },
            ["services.api.weights.green: got 10; clusters.green is retiring and takes no traffic: expected 0 (or drop the weight)"],
        ],
        [
            "retiring as text",
            a => {
                a.clusters.green.retiring = "yes";
            },
            ['clusters.green.retiring: got "yes"; expected true or false'],
        ],
    ];
    for (const [what, mutate, expected] of table) {
        it(`refuses ${what}`, () => {
            expect(messagesOf(mutate)).to.deep.equal(expected);
        });
    }

    it("requires the adopted ALB's security group and listener, and refuses settings of an adopted ALB", () => {
        expect(
            messagesOf(a => {
                a.loadBalancer = {
                    existingArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/0123456789abcdef",
                    idleTimeout: 30,
                };
            }),
        ).to.deep.equal([
            "loadBalancer.existingSecurityGroupId: got nothing; required with loadBalancer.existingArn: the adopted ALB's security group, which the clusters allow in",
            "loadBalancer.existingListenerArn: got nothing; required with loadBalancer.existingArn: the rules go on one listener of the adopted ALB; creating listeners on :80 and :443 would collide with its own",
            "loadBalancer.idleTimeout: got 30; not allowed with loadBalancer.existingArn: an adopted ALB is read-only; change it where it is managed",
        ]);
    });

    it("refuses a listener of another load balancer", () => {
        expect(
            messagesOf(a => {
                a.loadBalancer = {
                    existingArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/0123456789abcdef",
                    existingListenerArn:
                        "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/other/0123456789abcdef/00000000000000aa",
                    existingSecurityGroupId: "sg-0123456789abcdef0",
                };
            }),
        ).to.deep.equal([
            'loadBalancer.existingListenerArn: got "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/other/0123456789abcdef/00000000000000aa"; expected a listener of loadBalancer.existingArn (arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/edge/0123456789abcdef)',
        ]);
    });

    it("counts preview rules in the rules quota and every target group, weight 0 included, in the target groups quota", () => {
        const many = (count: number) =>
            Object.fromEntries(
                Array.from({ length: count }, (_, i) => [`s${i}`, { port: 8080, paths: [`/s${i}/*`], priority: 10 * (i + 1) }]),
            );
        expect(
            messagesOf(a => {
                a.services = many(34);
                a.preview = { sourceCidrs: ["203.0.113.0/24"] };
            }),
        ).to.deep.equal([
            'services: got "102 listener rules"; expected at most 100 listener rules on the ALB (its quota): 34 service rules and 68 preview rules; narrow clusters.<key>.services or turn preview routes off',
        ]);
        expect(
            listenerPlan(validateSharedAlbArgs({ ...exampleNetworkArgs(), services: many(33), preview: { token: "0123456789abcdef0123" } }))
                .rules,
        ).to.have.length(99);
        expect(
            messagesOf(a => {
                a.services = many(21);
                for (const k of ["c1", "c2", "c3"]) {
                    a.clusters[k] = { accountId: "333333333333", weight: 0 };
                }
            }),
        ).to.deep.equal([
            'services: got "105 target groups"; expected at most 100 target groups on one ALB (its quota; weight-0 ones count too); narrow clusters.<key>.services',
        ]);
    });

    it("reports every problem at once in one error", () => {
        const args = exampleNetworkArgs();
        args.clusters.blue.weight = -1;
        args.services.web.port = 70000;
        expect(() => validateSharedAlbArgs(args)).to.throw(
            "2 configuration errors:\n  - clusters.blue.weight: got -1; expected an integer from 0 to 999\n  - services.web.port: got 70000; expected an integer port from 1 to 65535",
        );
    });
});
