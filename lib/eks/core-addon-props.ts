/** Props every core EKS managed add-on of a PlatformCluster takes. */
export interface CoreAddonProps {
  /**
   * The add-on version, e.g. `v1.22.4-eksbuild.3`, as listed by `aws eks describe-addon-versions`.
   * @default - the version pinned in this library for the cluster's Kubernetes version; other Kubernetes versions fail at synth
   */
  readonly version?: string;

  /**
   * The add-on's configuration values (its JSON schema: `aws eks describe-addon-configuration`).
   * @default - the add-on's defaults, plus whatever the add-on's class documents it sets
   */
  readonly configurationValues?: { [key: string]: any };
}
