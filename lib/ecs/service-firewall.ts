import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { validateLogRetention } from '../compliance/log-retention';

/**
 * AWS managed rule groups every web service benefits from (AWS WAF Developer Guide, "Baseline rule groups"):
 * OWASP-style common rules, known bad inputs (e.g. Log4j probes), and Amazon's IP reputation list.
 */
const DEFAULT_MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];
/** One year of WAF logs, as for the VPC flow logs (PCI DSS 10.7). */
const DEFAULT_WAF_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/** AWS WAF's floor for a rate-based rule, requests per five minutes per client address. */
const MIN_RATE_LIMIT = 10;

/** How the web ACL the service creates is built. */
export interface ManagedRulesFirewallOptions {
  /**
   * Names of AWS managed rule groups (vendor `AWS`), evaluated in order.
   * @default - AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesAmazonIpReputationList
   */
  readonly managedRuleGroups?: string[];

  /**
   * Block a client address that sends more than this many requests in five minutes.
   * @default - no rate limit
   */
  readonly rateLimitPerFiveMinutes?: number;

  /**
   * How long WAF logs (every blocked and allowed request) are kept in their KMS-encrypted log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Which AWS WAF web ACL protects the load balancer. */
export enum FirewallType {
  /** A web ACL the load balancer creates, with AWS managed rule groups and logging. */
  MANAGED_RULES = 'MANAGED_RULES',
  /** An existing web ACL, by ARN. */
  EXISTING = 'EXISTING',
  /** No web ACL: the WAF findings of the compliance packs stay visible. */
  NONE = 'NONE',
}

/** The web application firewall in front of a load balancer. */
export class ServiceFirewall {
  /** Create a regional web ACL with AWS managed rule groups, logging to a KMS-encrypted log group. */
  public static managedRules(options: ManagedRulesFirewallOptions = {}): ServiceFirewall {
    const groups = options.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
    if (groups.length === 0 && options.rateLimitPerFiveMinutes === undefined) {
      throw new Error('managedRuleGroups: a web ACL without rules allows everything, got []; name at least one AWS managed rule group, set rateLimitPerFiveMinutes, or use ServiceFirewall.none()');
    }
    if (new Set(groups).size !== groups.length) {
      throw new Error(`managedRuleGroups: each rule group may appear once, got ${groups.join(', ')}; list each group once`);
    }
    validateLogRetention('logRetention', options.logRetention);
    const rate = options.rateLimitPerFiveMinutes;
    if (rate !== undefined && !Token.isUnresolved(rate) && (!Number.isInteger(rate) || rate < MIN_RATE_LIMIT)) {
      throw new Error(`rateLimitPerFiveMinutes: AWS WAF needs a whole number of at least ${MIN_RATE_LIMIT}, got ${rate}; e.g. 2000`);
    }
    return new ServiceFirewall(FirewallType.MANAGED_RULES, undefined, {
      managedRuleGroups: groups,
      rateLimitPerFiveMinutes: rate,
      logRetention: options.logRetention ?? DEFAULT_WAF_LOG_RETENTION,
    });
  }

  /** Associate an existing regional web ACL, e.g. one managed by a security team or AWS Firewall Manager. */
  public static fromWebAclArn(webAclArn: string): ServiceFirewall {
    if (!Token.isUnresolved(webAclArn) && !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+/.test(webAclArn)) {
      throw new Error(`webAclArn: expected a regional AWS WAFv2 web ACL ARN, got '${webAclArn}'; an ALB takes 'arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>' (not a CLOUDFRONT or WAF Classic ACL)`);
    }
    return new ServiceFirewall(FirewallType.EXISTING, webAclArn, undefined);
  }

  /** No web ACL. The compliance packs keep reporting it (NIST/PCI ALBWAFEnabled). */
  public static none(): ServiceFirewall {
    return new ServiceFirewall(FirewallType.NONE, undefined, undefined);
  }

  /** Which kind of firewall. */
  public readonly type: FirewallType;
  /** The existing web ACL's ARN (EXISTING). */
  public readonly webAclArn?: string;
  /** The resolved options of the web ACL to create (MANAGED_RULES). */
  public readonly managedRulesOptions?: ManagedRulesFirewallOptions;

  private constructor(type: FirewallType, webAclArn: string | undefined, options: ManagedRulesFirewallOptions | undefined) {
    this.type = type;
    this.webAclArn = webAclArn;
    this.managedRulesOptions = options;
  }
}
