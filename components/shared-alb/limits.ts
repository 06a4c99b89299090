/** AWS limits and default quotas the model is checked against. */
export const Limits = {
    /** Target groups in one forward action. */
    targetGroupsPerForward: 5,
    maxWeight: 999,
    maxPriority: 50000,
    /** Default quota: rules per ALB, not counting the listeners' default rules. */
    rulesPerListener: 100,
    /** Quota (not adjustable): target groups attached to one ALB. */
    targetGroupsPerLoadBalancer: 100,
    /** Condition values (hosts, paths, header values) one rule may evaluate. */
    conditionValuesPerRule: 5,
    /** Values of one condition (hosts, or paths). */
    valuesPerCondition: 3,
    /** Wildcards (`*`, `?`) across one rule's condition values. */
    wildcardsPerRule: 5,
    /** Cluster keys and service names end up in resource names. */
    maxKeyLength: 20,
} as const;
