import type { FastifyInstance } from 'fastify';
import { serializeUserDirectory, signUserDirectory } from '../../../core/release/userDirectory';
import type { DirectoryResponse } from '../../../shared/api/directory';
import { roleSchema } from '../schemas';
import type { ServerContext } from '../serverContext';

const directorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'serial', 'issuedAt', 'keyId', 'users', 'signature'],
  properties: {
    version: { type: 'integer' },
    serial: { type: 'integer' },
    issuedAt: { type: 'string' },
    keyId: { type: 'string' },
    users: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'role', 'emails', 'signingKeys'],
        properties: {
          username: { type: 'string' },
          role: roleSchema,
          emails: { type: 'array', items: { type: 'string' } },
          signingKeys: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    signature: { type: 'string' },
  },
} as const;

/** The `settings` counter behind the directory's serial: every issued directory gets the next number. */
const DIRECTORY_SERIAL = 'directory.serial';

/**
 * `GET /api/directory`: every user's org role, git emails and commit-signing keys, signed, for
 * `.promptops/directory.yaml` (what `promptops verify` maps commit authors with). Viewers
 * may fetch it: it names who may change what, which every reader of the repo sees anyway.
 */
export function registerDirectoryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/directory',
    {
      config: {
        access: 'signed-in',
        keyAction: 'prompt.read',
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
      // The serial is taken before reading users: a directory issued later reflects at least as much.
      const serial = await ctx.store.nextCounter(DIRECTORY_SERIAL);
      const [users, keys, signingKey] = await Promise.all([
        ctx.store.listUsers(),
        ctx.store.listSigningKeys(),
        ctx.signingKeys.signingKey(),
      ]);
      const keysOf = new Map<string, string[]>();
      for (const k of keys) keysOf.set(k.userId, [...(keysOf.get(k.userId) ?? []), k.publicKey]);
      const directory = signUserDirectory(
        {
          serial,
          issuedAt: new Date(ctx.now()).toISOString(),
          keyId: signingKey.keyId,
          users: users.map((u) => ({
            username: u.username,
            role: u.role,
            emails: u.emails,
            signingKeys: keysOf.get(u.id) ?? [],
          })),
        },
        signingKey.privateKey,
      );
      return {
        directory: {
          version: 2,
          serial,
          issuedAt: directory.issuedAt,
          keyId: directory.keyId,
          users: directory.users.map((u) => ({ ...u, signingKeys: u.signingKeys ?? [] })),
          signature: directory.signature,
        },
        file: serializeUserDirectory(directory),
      };
    },
  );
}
