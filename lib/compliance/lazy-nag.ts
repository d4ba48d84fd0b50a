// Module-private: cdk-nag, loaded when a compliance API first needs it rather than when the library is
// imported. Loading cdk-nag loads every rule of its packs and many aws-cdk-lib modules (about six times
// aws-cdk-lib's own load time), which a user who never runs a pack should not pay for. Every other
// file of lib/ imports cdk-nag's types only (`import type`), and its values through this module.
import type * as CdkNag from 'cdk-nag';

/** cdk-nag's module, required on first call (Node caches it). */
export function cdkNag(): typeof CdkNag {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdk-nag');
}

/**
 * cdk-nag's enum values, spelled out because reading the real enums would load cdk-nag:
 * test/compliance/lazy-nag.test.ts checks each against cdk-nag's own.
 */
export const NagMessageLevel = {
  WARN: 'Warning' as CdkNag.NagMessageLevel.WARN,
  ERROR: 'Error' as CdkNag.NagMessageLevel.ERROR,
  INFO: 'Info' as CdkNag.NagMessageLevel.INFO,
} as const;
export type NagMessageLevel = CdkNag.NagMessageLevel;

/** See {@link NagMessageLevel}. */
export const NagRuleCompliance = {
  COMPLIANT: 'Compliant' as CdkNag.NagRuleCompliance.COMPLIANT,
  NON_COMPLIANT: 'Non-Compliant' as CdkNag.NagRuleCompliance.NON_COMPLIANT,
  NOT_APPLICABLE: 'N/A' as CdkNag.NagRuleCompliance.NOT_APPLICABLE,
} as const;
export type NagRuleCompliance = CdkNag.NagRuleCompliance;

/**
 * A stand-in for cdk-nag's `NagPack` to extend: a class declaration evaluates its base when the module
 * loads, so `extends NagPack` from cdk-nag would load cdk-nag with the library. This one loads it when
 * the first pack is constructed, then puts `NagPack` under itself in both prototype chains, so that
 * subclasses inherit NagPack's methods and statics and `instanceof NagPack` holds, and lets `NagPack`'s
 * own constructor build the instance (with the subclass's prototype, `new.target`).
 */
function lazyNagPack(): typeof CdkNag.NagPack {
  class LazyNagPack {
    constructor(...args: unknown[]) {
      const real = cdkNag().NagPack;
      if (Object.getPrototypeOf(LazyNagPack) !== real) {
        Object.setPrototypeOf(LazyNagPack, real);
        Object.setPrototypeOf(LazyNagPack.prototype, real.prototype);
      }
      return Reflect.construct(real, args, new.target);
    }
  }
  return LazyNagPack as unknown as typeof CdkNag.NagPack;
}

/** cdk-nag's `NagPack`, as a base class that loads cdk-nag only when a subclass is constructed. */
export const NagPack = lazyNagPack();
