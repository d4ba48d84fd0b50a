import type { AddonVersion } from './addons/addon-version';

/** Props every core EKS managed add-on of a PlatformCluster takes. */
export interface CoreAddonProps {
  /**
   * Which build to install: `AddonVersion.of('v1.23.1-eksbuild.1')` for a given one,
   * `AddonVersion.eksDefault()` for EKS's default at create.
   * @default - AddonVersion.recommended(): the library's version table's build for the cluster's Kubernetes version; EKS's default build (with a synth warning) where the table has none
   */
  readonly version?: AddonVersion;

  /**
   * The add-on's configuration values (its JSON schema: `aws eks describe-addon-configuration`).
   * @default - the add-on's defaults, plus whatever the add-on's class documents it sets
   */
  readonly configurationValues?: { [key: string]: any };
}
