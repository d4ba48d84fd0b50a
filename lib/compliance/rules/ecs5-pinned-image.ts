import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel } from '../lazy-nag';
import { PlatformRule } from './platform-rule';
import { judge, possibleAt, UNKNOWN_TEXT } from './possible-values';
import { checkContainers } from './task-containers';

/** A digest pin (OCI image spec: sha256 or sha512 in lower-case hex), with or without a tag before it. */
const DIGEST = /@sha256:[0-9a-f]{64}$|@sha512:[0-9a-f]{128}$/;

/**
 * ECS5: every image is pinned by digest or by a version tag. A tag without a digit names a moving
 * channel or base, not a version: latest, stable, main, master, edge, nightly, dev, develop, release,
 * prod, production, current, canary, mainline, lts, and distribution tags such as alpine, slim,
 * bookworm or jammy, which follow every new upstream release. `latest` as a word (`3-latest`,
 * `latest-arm64`) moves too. Tags with a digit (`1.27.0`, `20`, `v2`, a commit sha) are taken as
 * versions.
 */
export const ECS5_PINNED_IMAGE: PlatformRule = {
  id: 'ECS5',
  statement: 'Every container image of the ECS task definition names a digest (`@sha256:...`, always compliant) or a version tag: a tag with a digit and without the word `latest` in any case; no tag, `latest`, and digit-free channel or distribution tags (stable, main, master, edge, nightly, dev, release, prod, current, canary, mainline, lts, alpine, slim, bookworm...) are non-compliant, as is a tag only known at deploy time (a parameter without default); `{{resolve:ssm:...}}` references are not judged.',
  info: 'A container image of the ECS task definition has no tag, or a tag that moves (latest, stable, main, alpine...).',
  explanation: 'An untagged image means :latest, and tags such as latest, stable, main or alpine move under a running service: two tasks of one revision can run different code, and a rollback redeploys the new image. Pass a version tag (ContainerImage.fromEcrRepository(repo, \'1.4.2\')) or a digest.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => judge(possibleAt(c, 'Image', node), (image) => typeof image === 'string' && pinned(image))),
};

function pinned(image: string): boolean {
  if (DIGEST.test(image)) {
    return true;
  }
  // The tag follows the last ':' after the last '/': 'localhost:5000/app' has a port, not a tag.
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  // Without a ':' the reference means :latest; a tag with an unknown part cannot be judged a version.
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  return /[0-9]/.test(tag) && !tag.includes(UNKNOWN_TEXT) && !/(^|[-._])latest($|[-._])/i.test(tag);
}
