// Which Kubernetes minors EKS supports, and until when, as of this library's release. Module-private:
// not exported from lib/index.ts.
//
// A dated table, not the clock: the same app synthesizes the same template and the same warnings on any
// day. The price is that the warnings describe the library's release date; a newer release of the
// library refreshes them.
import { Annotations, Token } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IConstruct } from 'constructs';

/** The day this release's support table was checked; the warnings below are relative to it. */
export const LIBRARY_RELEASE_DATE = '2026-11-30';

/** Warn this many days before a minor leaves standard support: one upgrade cycle of most platform teams. */
export const STANDARD_SUPPORT_WARNING_DAYS = 90;

/** One Kubernetes minor's EKS support window. */
export interface SupportWindow {
  /** The last day of standard support (ISO date). */
  readonly standardEnd: string;
  /** The last day of extended support (ISO date). */
  readonly extendedEnd: string;
  /** Whether a public record states these dates; false when they are derived (see `source`). */
  readonly confirmed: boolean;
  /** Where the dates come from. */
  readonly source: string;
}

const CALENDAR_SOURCE = 'Amazon EKS Kubernetes release calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html) as quoted by endoflife.date/amazon-eks (2026-02) and aws-samples sample-apex-skills cluster-lifecycle (verified 2026-04-24)';

/**
 * EKS support windows by minor. EKS gives a minor 14 months of standard support from its release, then
 * 12 months of extended support (EKS User Guide, "Understand the Kubernetes version lifecycle on EKS").
 */
export const EKS_SUPPORT_WINDOWS: Readonly<Record<string, SupportWindow>> = {
  '1.29': { standardEnd: '2025-03-23', extendedEnd: '2026-03-23', confirmed: true, source: CALENDAR_SOURCE },
  '1.30': { standardEnd: '2025-07-23', extendedEnd: '2026-07-23', confirmed: true, source: CALENDAR_SOURCE },
  '1.31': { standardEnd: '2025-11-26', extendedEnd: '2026-11-26', confirmed: true, source: CALENDAR_SOURCE },
  '1.32': { standardEnd: '2026-03-23', extendedEnd: '2027-03-23', confirmed: true, source: CALENDAR_SOURCE },
  '1.33': { standardEnd: '2026-07-29', extendedEnd: '2027-07-29', confirmed: true, source: CALENDAR_SOURCE },
  '1.34': { standardEnd: '2026-12-02', extendedEnd: '2027-12-02', confirmed: true, source: CALENDAR_SOURCE },
  '1.35': { standardEnd: '2027-03-27', extendedEnd: '2028-03-27', confirmed: true, source: CALENDAR_SOURCE },
  // The day is unconfirmed: 1.36 is GA on EKS since 2026-06, so 14 months put the end in 2027-08; the first
  // of the month is the earliest it can be, which makes any warning early rather than late.
  '1.36': { standardEnd: '2027-08-01', extendedEnd: '2028-08-01', confirmed: false, source: 'derived: EKS GA 2026-06 + 14 months (standard) and + 26 months (extended); day unconfirmed' },
};

/** The newest minor EKS offered at this library's release (there was no 1.37 on EKS). */
export const NEWEST_EKS_MINOR = '1.36';

const DAY_MS = 24 * 60 * 60 * 1000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `1.36` for Kubernetes 1.36, whatever patch or suffix the version carries; undefined for a token. */
export function kubernetesMinorOf(version: eks.KubernetesVersion): string | undefined {
  return /^(\d+\.\d+)/.exec(version.version)?.[1];
}

/** 36 for `1.36`. */
export function minorNumber(minor: string): number {
  return Number(minor.split('.')[1]);
}

/** Where a minor stands on a given day. */
export enum SupportStatus {
  /** In standard support, more than the warning period before its end. */
  STANDARD = 'STANDARD',
  /** In standard support, with its end within the warning period. */
  STANDARD_ENDING = 'STANDARD_ENDING',
  /** Past standard support, within extended support. */
  EXTENDED = 'EXTENDED',
  /** Past extended support, or older than the table: EKS creates no cluster on it. */
  UNSUPPORTED = 'UNSUPPORTED',
  /** Newer than any minor EKS offered. */
  NOT_OFFERED = 'NOT_OFFERED',
}

/** Where `minor` (`'1.34'`) stands on `day` (ISO date). */
export function supportStatus(minor: string, day: string = LIBRARY_RELEASE_DATE): SupportStatus {
  if (minorNumber(minor) > minorNumber(NEWEST_EKS_MINOR)) {
    return SupportStatus.NOT_OFFERED;
  }
  const window = Object.hasOwn(EKS_SUPPORT_WINDOWS, minor) ? EKS_SUPPORT_WINDOWS[minor] : undefined;
  if (window === undefined || daysBetween(day, window.extendedEnd) < 0) {
    return SupportStatus.UNSUPPORTED;
  }
  const left = daysBetween(day, window.standardEnd);
  if (left < 0) {
    return SupportStatus.EXTENDED;
  }
  return left <= STANDARD_SUPPORT_WARNING_DAYS ? SupportStatus.STANDARD_ENDING : SupportStatus.STANDARD;
}

/**
 * Checks the cluster's Kubernetes version against the support table at the library's release date:
 * fails for a minor EKS does not offer (newer than 1.36, or past extended support), warns for one in
 * extended support or leaving standard support within 90 days. Skips a version unknown at synth.
 */
export function checkKubernetesSupport(scope: IConstruct, version: eks.KubernetesVersion, supportType: string): void {
  if (Token.isUnresolved(version.version)) {
    return;
  }
  const minor = kubernetesMinorOf(version);
  if (minor === undefined) {
    return;
  }
  const next = `1.${minorNumber(minor) + 1}`;
  const window = EKS_SUPPORT_WINDOWS[minor];
  const date = (d: string) => `${d}${window?.confirmed === false ? ' (day unconfirmed)' : ''}`;
  const runbook = 'see the README, "Upgrading Kubernetes"';
  switch (supportStatus(minor)) {
    case SupportStatus.NOT_OFFERED:
      throw new Error(`version: Amazon EKS offered Kubernetes up to ${NEWEST_EKS_MINOR} when this library was released (${LIBRARY_RELEASE_DATE}), got ${version.version}; use ${NEWEST_EKS_MINOR}, or a newer release of cdk-container-platform that knows ${minor}`);
    case SupportStatus.UNSUPPORTED:
      throw new Error(`version: Kubernetes ${minor} is past EKS extended support at this library's release (${LIBRARY_RELEASE_DATE}${window ? `; it ended on ${window.extendedEnd}` : ''}), got ${version.version}; EKS creates no cluster on it and upgrades existing ones by itself, so upgrade one minor at a time to a supported version (${runbook})`);
    case SupportStatus.EXTENDED:
      Annotations.of(scope).addWarningV2('cdk-container-platform:kubernetesExtendedSupport',
        `version: Kubernetes ${minor} left EKS standard support on ${date(window.standardEnd)} and is in extended support until ${date(window.extendedEnd)}, got ${version.version}; ${supportType === 'EXTENDED' ? 'with supportType EXTENDED the cluster is billed at the extended-support rate' : 'with supportType STANDARD EKS upgrades the control plane by itself, outside your deploys, and leaves node groups and add-ons behind'}. Upgrade one minor, to ${next} (${runbook})`);
      return;
    case SupportStatus.STANDARD_ENDING:
      Annotations.of(scope).addWarningV2('cdk-container-platform:kubernetesStandardSupportEnding',
        `version: Kubernetes ${minor} leaves EKS standard support on ${date(window.standardEnd)}, ${daysBetween(LIBRARY_RELEASE_DATE, window.standardEnd)} days after this library's release (${LIBRARY_RELEASE_DATE}), got ${version.version}; then ${supportType === 'EXTENDED' ? 'with supportType EXTENDED the cluster is billed at the extended-support rate' : 'with supportType STANDARD EKS upgrades the control plane by itself, outside your deploys, and leaves node groups and add-ons behind'}. Upgrade one minor, to ${next}, before that date (${runbook})`);
      return;
    default:
      return;
  }
}

/**
 * Makes a managed node group follow the cluster's Kubernetes version: `Version` on the node group, so
 * that a change of the cluster's `version` also upgrades the node group in the same deploy, after the
 * control plane and the node prerequisites it depends on. EKS then rolls the nodes to the newest AMI
 * release of the new minor (no `ReleaseVersion` given), draining them with PodDisruptionBudgets
 * respected unless the node group forces updates. Without it, aws-eks-v2 renders no version and a node
 * group stays on its minor when the control plane moves.
 */
export function followClusterVersion(nodegroup: eks.Nodegroup, version: eks.KubernetesVersion): void {
  // EKS refuses Version next to a custom AMI; the library's launch templates carry none (nodeLaunchTemplate).
  (nodegroup.node.defaultChild as eks.CfnNodegroup).version = version.version;
}
