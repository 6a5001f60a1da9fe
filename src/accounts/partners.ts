// Partners (the tenancy boundary) and their OAuth clients.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { oauthClients, partners } from '../db/schema.ts';
import { AppError } from '../platform/errors.ts';
import type { Scope } from './scopes.ts';
import { SCOPES } from './scopes.ts';
import { hashSecret, newClientId, newSecret, verifySecret } from './secrets.ts';

export interface PartnerView {
  id: string;
  name: string;
  created_at: string;
}

export interface NewClient {
  partner_id: string;
  client_id: string;
  /** Shown once, here; only its hash is stored. */
  client_secret: string;
  scopes: Scope[];
}

const view = (p: typeof partners.$inferSelect): PartnerView => ({
  id: p.id,
  name: p.name,
  created_at: p.createdAt.toISOString(),
});

export async function createPartner(db: Db, name: string): Promise<PartnerView> {
  const [row] = await db.insert(partners).values({ name }).returning();
  return view(row!);
}

export async function listPartners(db: Db): Promise<PartnerView[]> {
  const rows = await db.select().from(partners).orderBy(asc(partners.createdAt), asc(partners.id));
  return rows.map(view);
}

export async function getPartner(db: Db, id: string): Promise<PartnerView | undefined> {
  const [row] = await db.select().from(partners).where(eq(partners.id, id));
  return row ? view(row) : undefined;
}

export async function createClient(
  db: Db,
  partnerId: string,
  scopes: readonly Scope[] = SCOPES,
  fixed?: { clientId: string; clientSecret: string },
): Promise<NewClient> {
  if (!(await getPartner(db, partnerId))) throw new AppError(404, 'Partner not found');
  const clientId = fixed?.clientId ?? newClientId();
  const clientSecret = fixed?.clientSecret ?? newSecret('fgs_');
  const unique = [...new Set(scopes)];
  await db
    .insert(oauthClients)
    .values({ partnerId, clientId, secretHash: await hashSecret(clientSecret), scopes: unique });
  return { partner_id: partnerId, client_id: clientId, client_secret: clientSecret, scopes: unique };
}

// A hash of nothing in particular, in the stored format (same scrypt parameters as real ones).
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** The client's partner and scopes when the secret matches; undefined otherwise (never says which part was wrong). */
export async function authenticateClient(
  db: Db,
  clientId: string,
  clientSecret: string,
): Promise<{ partnerId: string; scopes: Scope[] } | undefined> {
  const [row] = await db
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.clientId, clientId), isNull(oauthClients.revokedAt)));
  if (!row) {
    // Spend the same scrypt work as for a known client, so timing does not tell which ids exist.
    await verifySecret(clientSecret, DUMMY_HASH);
    return undefined;
  }
  if (!(await verifySecret(clientSecret, row.secretHash))) return undefined;
  return { partnerId: row.partnerId, scopes: row.scopes as Scope[] };
}

/**
 * Scripted deployments name a client in the environment; it is created (with a partner of its own
 * and every scope) when absent, and left alone when present.
 */
export async function ensureBootstrapClient(
  db: Db,
  bootstrap: { clientId: string; clientSecret: string },
): Promise<{ created: boolean; partnerId: string }> {
  const [existing] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, bootstrap.clientId));
  if (existing) return { created: false, partnerId: existing.partnerId };
  const partner = await createPartner(db, 'Bootstrap partner');
  await createClient(db, partner.id, SCOPES, bootstrap);
  return { created: true, partnerId: partner.id };
}
