import { ConfigError } from "../components/internal/errors";
import { AccountIdPattern, AllowedText, accountIdQuoteHint, isNonEmptyString, isRecord, join } from "../components/internal/validate";

// The network stack's outputs as the commands read them back from
// `pulumi stack output --json -s network` (`doctor`, `manifests --network-outputs`).

/**
 * Every way `value` departs from the {@link NetworkOutputs} contract, as
 * errors naming the path (`clusters.blue.targetGroups`). Only the fields the
 * commands read are required.
 */
export function validateNetworkOutputs(value: unknown): ConfigError[] {
    const found: ConfigError[] = [];
    const str = (p: string, v: unknown): v is string => {
        if (!isNonEmptyString(v)) {
            found.push(new ConfigError(p, v, "expected a non-empty string"));
            return false;
        }
        return true;
    };
    const account = (p: string, v: unknown): void => {
        if (typeof v !== "string" || !AccountIdPattern.test(v)) {
            found.push(new ConfigError(p, v, `${AllowedText.accountId}${accountIdQuoteHint(v)}`));
        }
    };
    const int = (p: string, v: unknown, min: number, max: number): void => {
        if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
            found.push(new ConfigError(p, v, `expected an integer from ${min} to ${max}`));
        }
    };
    const obj = (p: string, v: unknown, what: string): v is Record<string, unknown> => {
        if (!isRecord(v)) {
            found.push(new ConfigError(p, v, `expected ${what}`));
            return false;
        }
        return true;
    };
    if (!obj("", value, "a JSON object (the network stack's outputs)")) {
        found[0] = new ConfigError("(top level)", value, "expected a JSON object (the network stack's outputs)");
        return found;
    }
    account("accountId", value.accountId);
    str("region", value.region);
    str("vpcId", value.vpcId);
    str("securityGroupId", value.securityGroupId);
    const lb = value.loadBalancer;
    if (obj("loadBalancer", lb, "an object with arn, securityGroupId and listenerArns")) {
        str("loadBalancer.arn", lb.arn);
        str("loadBalancer.securityGroupId", lb.securityGroupId);
        if (obj("loadBalancer.listenerArns", lb.listenerArns, "an object of listener ARNs keyed by http, https or existing")) {
            const keys = Object.keys(lb.listenerArns);
            if (keys.length === 0) {
                found.push(new ConfigError("loadBalancer.listenerArns", lb.listenerArns, "expected at least one of http, https, existing"));
            }
            for (const key of keys) {
                str(join("loadBalancer.listenerArns", key), lb.listenerArns[key]);
            }
        }
    }
    if (obj("services", value.services, "an object keyed by service name")) {
        for (const [name, svc] of Object.entries(value.services)) {
            const p = join("services", name);
            if (obj(p, svc, "an object with port, protocol, targetType and weights")) {
                int(join(p, "port"), svc.port, 1, 65535);
                if (obj(join(p, "weights"), svc.weights, "an object of weights keyed by cluster")) {
                    for (const [cluster, weight] of Object.entries(svc.weights)) {
                        int(join(join(p, "weights"), cluster), weight, 0, 999);
                    }
                }
            }
        }
    }
    if (obj("clusters", value.clusters, "an object keyed by cluster key")) {
        for (const [key, cluster] of Object.entries(value.clusters)) {
            const p = join("clusters", key);
            if (!obj(p, cluster, "an object with accountId, controllerRoleArn and targetGroups")) {
                continue;
            }
            account(join(p, "accountId"), cluster.accountId);
            int(join(p, "weight"), cluster.weight, 0, 999);
            str(join(p, "controllerRoleArn"), cluster.controllerRoleArn);
            const crossAccount = typeof value.accountId === "string" && cluster.accountId !== value.accountId;
            if (crossAccount || cluster.registrarRoleArn !== undefined) {
                str(join(p, "registrarRoleArn"), cluster.registrarRoleArn);
            }
            if (crossAccount || cluster.externalId !== undefined) {
                str(join(p, "externalId"), cluster.externalId);
            }
            if (obj(join(p, "targetGroups"), cluster.targetGroups, "an object of target groups keyed by service")) {
                for (const [service, tg] of Object.entries(cluster.targetGroups)) {
                    const tp = join(join(p, "targetGroups"), service);
                    if (obj(tp, tg, "an object with arn, name, port, protocol and targetType")) {
                        str(join(tp, "arn"), tg.arn);
                        str(join(tp, "name"), tg.name);
                        int(join(tp, "port"), tg.port, 1, 65535);
                        str(join(tp, "protocol"), tg.protocol);
                        str(join(tp, "targetType"), tg.targetType);
                    }
                }
            }
        }
    }
    return found;
}
