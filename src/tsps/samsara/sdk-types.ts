// The Samsara request bodies this adapter builds, typed by Samsara's official SDK (@samsarahq/samsara, a
// devDependency). `import type` only: erased at compile time, so the SDK costs nothing at run time, yet a
// member Samsara does not have (an `email` on a driver) or a value outside one of its enums fails
// `tsc`. The SDK types clearable members as optional but not nullable; the one documented null is
// `usDriverRulesetOverride` ("Explicitly setting this field to `null` will delete driver's ruleset
// override", SDK UsDriverRulesetOverride docstring), so that member alone admits null here.
import type { Samsara } from '@samsarahq/samsara';

export type SamsaraRulesetOverride = Samsara.UsDriverRulesetOverride;
export type SamsaraCycle = Samsara.UsDriverRulesetOverride.Cycle;
export type SamsaraRestart = Samsara.UsDriverRulesetOverride.Restart;
export type SamsaraRestbreak = Samsara.UsDriverRulesetOverride.Restbreak;
export type SamsaraOverrideState = Samsara.UsDriverRulesetOverride.UsStateToOverride;
export type SamsaraLocale = Samsara.CreateDriverRequest.Locale;

/** POST /fleet/drivers. */
export type SamsaraDriverCreate = Samsara.CreateDriverRequest;

/** PATCH /fleet/drivers/{id}: the SDK's request without its path `id`, with the documented null clear. */
export type SamsaraDriverPatch = Omit<Samsara.UpdateDriverRequest, 'id' | 'usDriverRulesetOverride'> & {
  usDriverRulesetOverride?: Samsara.UsDriverRulesetOverride | null;
};

/** What the driver mapping writes: a create's members (bar the password, added at send time) or a patch's. */
export type SamsaraDriverBody = SamsaraDriverPatch;
/** A member of that body. */
export type SamsaraDriverMember = keyof SamsaraDriverBody;

/** POST /fleet/trailers and PATCH /fleet/trailers/{id} (without the path id). */
export type SamsaraTrailerCreate = Samsara.TrailersCreateTrailerRequestBody;
export type SamsaraTrailerPatch = Omit<Samsara.TrailersUpdateTrailerRequestBody, 'id'>;

/** POST /assets and PATCH /assets?id= (without the query id). */
export type SamsaraAssetCreate = Samsara.AssetsCreateAssetRequestBody;
export type SamsaraAssetPatch = Omit<Samsara.AssetsUpdateAssetRequestBody, 'id'>;
