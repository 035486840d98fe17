import type { FastifyInstance } from 'fastify';
import { exportPublicKeyBase64, exportPublicKeyPem } from '../../../core/release/signingKeys';
import type { PublicKeyResponse } from '../../../shared/api/keys';
import type { ServerContext } from '../serverContext';

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

/**
 * `GET /api/keys/public`: the key releases are signed with. Public by nature, but kept
 * behind sign-in like every /api route but login (the seed's rule); pin it in the access
 * file's `publicKey` so verification needs no server at all.
 */
export function registerKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { publicKey, keyId } = ctx.signingKey;
  const body: PublicKeyResponse = {
    algorithm: 'Ed25519',
    keyId,
    pem: exportPublicKeyPem(publicKey),
    spkiBase64: exportPublicKeyBase64(publicKey),
  };
  app.get(
    '/api/keys/public',
    {
      config: {
        access: 'viewer',
        keyAction: 'prompt.read',
        summary: 'The server’s Ed25519 public key (PEM and base64 SPKI) and its key id.',
      },
      schema: { response: { 200: publicKeyResponse } },
    },
    async (): Promise<PublicKeyResponse> => body,
  );
}
