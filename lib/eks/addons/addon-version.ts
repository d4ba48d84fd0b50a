import { Token } from 'aws-cdk-lib';

/** EKS managed add-on versions look like `v1.23.1-eksbuild.1` (`aws eks describe-addon-versions`). */
const MANAGED_ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** How an {@link AddonVersion} picks the build (strings, as jsii carries no private enum). */
const RECOMMENDED = 'recommended';
const GIVEN = 'given';
const EKS_DEFAULT = 'eks-default';

/**
 * Which build of an EKS managed add-on to install. Every managed add-on of this library takes one as
 * `version`; the add-on's name and the cluster's Kubernetes version decide what it renders.
 */
export class AddonVersion {
  /**
   * The build this library's version table holds for the cluster's Kubernetes minor: one that
   * `aws eks describe-addon-versions` was seen offering for that minor, the one it marked default where
   * the record says. Where the table has no build for the minor, no version is rendered, so EKS installs
   * its default build for the cluster's version, and a synth warning names the command that lists builds.
   */
  public static recommended(): AddonVersion {
    return new AddonVersion(RECOMMENDED);
  }

  /**
   * A given build, e.g. `v1.23.1-eksbuild.1`, as listed by
   * `aws eks describe-addon-versions --addon-name <name> --kubernetes-version 1.NN`. A token is passed
   * through unchecked.
   * @param version the add-on version
   */
  public static of(version: string): AddonVersion {
    if (!Token.isUnresolved(version) && !MANAGED_ADDON_VERSION.test(version)) {
      throw new Error(`version: not an EKS add-on version, got '${version}'; pass a version such as 'v1.23.1-eksbuild.1' as listed by 'aws eks describe-addon-versions'`);
    }
    return new AddonVersion(GIVEN, version);
  }

  /**
   * No version in the template: EKS installs its default build for the cluster's Kubernetes version,
   * which is always valid when the add-on is created. A later cluster upgrade does not move it; a
   * synth warning says so.
   */
  public static eksDefault(): AddonVersion {
    return new AddonVersion(EKS_DEFAULT);
  }

  /** @internal */
  public readonly _choice: string;
  /** @internal */
  public readonly _given?: string;

  private constructor(choice: string, given?: string) {
    this._choice = choice;
    this._given = given;
  }

  /** @internal */
  public get _isRecommended(): boolean {
    return this._choice === RECOMMENDED;
  }

  /** @internal */
  public get _isEksDefault(): boolean {
    return this._choice === EKS_DEFAULT;
  }
}
