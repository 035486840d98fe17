import type { FastifyInstance } from 'fastify';
import { serializeUserDirectory, signUserDirectory } from '../../../core/release/userDirectory';
import type { DirectoryResponse } from '../../../shared/api/directory';
import { roleSchema } from '../schemas';
import type { ServerContext } from '../serverContext';

const directorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['issuedAt', 'keyId', 'users', 'signature'],
  properties: {
    issuedAt: { type: 'string' },
    keyId: { type: 'string' },
    users: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'role', 'emails'],
        properties: {
          username: { type: 'string' },
          role: roleSchema,
          emails: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    signature: { type: 'string' },
  },
} as const;

/**
 * `GET /api/directory`: every user's org role and git emails, signed, for
 * `.promptops/directory.yaml` (what `promptops verify` maps commit authors with). Viewers
 * may fetch it: it names who may change what, which every reader of the repo sees anyway.
 */
export function registerDirectoryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/directory',
    {
      config: {
        access: 'viewer',
        summary: 'The signed user directory (usernames, org roles, git emails) for `promptops verify`.',
      },
      schema: {
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['directory', 'file'],
            properties: { directory: directorySchema, file: { type: 'string' } },
          },
        },
      },
    },
    async (): Promise<DirectoryResponse> => {
      const users = (await ctx.store.listUsers()).map((u) => ({
        username: u.username,
        role: u.role,
        emails: u.emails,
      }));
      const directory = signUserDirectory(
        { issuedAt: new Date(ctx.now()).toISOString(), keyId: ctx.signingKey.keyId, users },
        ctx.signingKey.privateKey,
      );
      return { directory, file: serializeUserDirectory(directory) };
    },
  );
}
