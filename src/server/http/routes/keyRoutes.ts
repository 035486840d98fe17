import type { FastifyInstance } from 'fastify';
import { KEY_CHAIN_PATH, serializeKeyChain } from '../../../core/release/keyChain';
import { exportPublicKeyBase64, exportPublicKeyPem } from '../../../core/release/signingKeys';
import type { KeyChainResponse, PublicKeyResponse, RotateKeyResponse } from '../../../shared/api/keys';
import { auditActor, STATIC_TOKEN_ACTOR } from '../../audit/auditActor';
import { actorOf } from '../../auth/actorOf';
import { actorName } from '../../auth/identity';
import { KeyRotationConflict, type ServerSigningKeys } from '../../signing/serverSigningKey';
import { HttpError } from '../httpError';
import { requireIdentity } from '../routeAccess';
import type { ServerContext } from '../serverContext';
import { deniedBy } from '../../reviews/refusal';
import { throwIfRefused } from '../refusalResponse';

const publicKeyResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['algorithm', 'keyId', 'pem', 'spkiBase64'],
  properties: {
    algorithm: { type: 'string', enum: ['Ed25519'] },
    keyId: { type: 'string' },
    pem: { type: 'string' },
    spkiBase64: { type: 'string' },
  },
} as const;

const linkSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'serial',
    'previousKeyId',
    'previousPublicKey',
    'keyId',
    'publicKey',
    'rotatedAt',
    'rotatedBy',
    'signature',
    'successorSignature',
  ],
  properties: {
    serial: { type: 'integer' },
    previousKeyId: { type: 'string' },
    previousPublicKey: { type: 'string' },
    keyId: { type: 'string' },
    publicKey: { type: 'string' },
    rotatedAt: { type: 'string' },
    rotatedBy: { type: 'string' },
    signature: { type: 'string' },
    successorSignature: { type: 'string' },
  },
} as const;

const chainResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['keyId', 'links', 'file'],
  properties: {
    keyId: { type: 'string' },
    links: { type: 'array', items: linkSchema },
    file: { type: 'string' },
  },
} as const;

function chainOf({ current, chain }: ServerSigningKeys): KeyChainResponse {
  return {
    keyId: current.keyId,
    links: chain.map((l) => ({ ...l })),
    file: serializeKeyChain(chain),
  };
}

/**
 * `/api/keys`: the key releases are signed with now, the chain of rotations that leads to it
 * from the first key, and rotating it. Public keys are public by nature, but kept behind
 * sign-in like every /api route but login (the seed's rule); pin the first key in the access
 * file's `publicKey` and commit the chain (`.promptops/keys.yaml`) so verification needs no
 * server at all.
 */
export function registerKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/keys/public',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary: 'The server’s current Ed25519 public key (PEM and base64 SPKI) and its key id.',
      },
      schema: { response: { 200: publicKeyResponse } },
    },
    async (): Promise<PublicKeyResponse> => {
      const key = await ctx.signingKeys.signingKey();
      return {
        algorithm: 'Ed25519',
        keyId: key.keyId,
        pem: exportPublicKeyPem(key.publicKey),
        spkiBase64: exportPublicKeyBase64(key.publicKey),
      };
    },
  );

  app.get(
    '/api/keys/chain',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
        summary: `Every rotation of the server’s signing key (each link signed by the old key and the new), and the text of ${KEY_CHAIN_PATH}.`,
      },
      schema: { response: { 200: chainResponse } },
    },
    async (): Promise<KeyChainResponse> => chainOf(await ctx.signingKeys.current()),
  );

  app.post(
    '/api/keys/rotate',
    {
      config: {
        access: 'server.key.rotate',
        keyAction: 'server.key.rotate',
        summary: `Rotate the server’s signing key (\`server.key.rotate\`, admins): the current key signs a link naming a new key, which signs from then on. Returns the chain; commit it as ${KEY_CHAIN_PATH}.`,
        extraStatuses: [409],
      },
      schema: { response: { 200: chainResponse } },
    },
    async (request): Promise<RotateKeyResponse> => {
      const identity = requireIdentity(request.identity);
      if (identity.kind !== 'static-token') {
        const { compiled } = await ctx.policies.current();
        const d = compiled.decide(actorOf(identity), 'server.key.rotate', { kind: 'org' });
        throwIfRefused(deniedBy(d));
      }
      const before = (await ctx.signingKeys.signingKey()).keyId;
      const now = ctx.now();
      const rotatedBy = actorName(identity) ?? STATIC_TOKEN_ACTOR;
      let next: ServerSigningKeys;
      try {
        next = await ctx.signingKeys.rotate(rotatedBy, now);
      } catch (e) {
        // Another process rotated from the same key at the same moment: its rotation stands.
        if (e instanceof KeyRotationConflict)
          throw new HttpError(
            409,
            'conflict',
            `${e.message}; nothing changed here. Rotate again if another rotation is wanted.`,
          );
        throw e;
      }
      const link = next.chain[next.chain.length - 1];
      await ctx.store.appendAudit({
        ...auditActor(identity, request),
        at: now,
        action: 'server.key.rotate',
        targetType: 'server_key',
        targetId: link.keyId,
        before: { keyId: before },
        after: { keyId: link.keyId, serial: link.serial },
      });
      return chainOf(next);
    },
  );
}
