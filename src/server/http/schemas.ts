import { ACTIONS, BUILTIN_ROLES } from '../../core/policy/actions';
import { MAX_PASSWORD_LENGTH } from '../auth/passwordPolicy';

/**
 * JSON Schemas of every body, parameter and response. Fastify validates requests with
 * them (strict: no extra properties, no type coercion), serialises responses with them
 * (so nothing unlisted, like a password hash, can leak) and the OpenAPI document is
 * built from them.
 */

export const roleSchema = { type: 'string', enum: [...BUILTIN_ROLES] } as const;

export const usernameSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$',
  description: 'Unique, case-insensitive: stored in lower case (Unicode NFKC and case fold).',
} as const;

/** Policy (length, not the username) is checked in code, to answer with a clear sentence. */
export const passwordSchema = { type: 'string', maxLength: MAX_PASSWORD_LENGTH } as const;

export const emailsSchema = {
  type: 'array',
  maxItems: 20,
  uniqueItems: true,
  items: { type: 'string', format: 'email', maxLength: 254 },
  description: 'Git author emails that identify this user’s commits; each belongs to one user.',
} as const;

export const idParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;

const timestamp = { type: 'string', format: 'date-time' } as const;

export const userSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'username', 'role', 'emails', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    role: roleSchema,
    emails: { type: 'array', items: { type: 'string' } },
    createdAt: timestamp,
    updatedAt: timestamp,
    serviceAccount: { type: 'boolean' },
  },
} as const;

export const workspaceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'builtin', 'createdBy', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    builtin: { type: 'boolean' },
    createdBy: { type: ['string', 'null'] },
    createdAt: timestamp,
  },
} as const;

export const workspaceNameSchema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;

export const apiKeyScopeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['actions'],
  properties: {
    actions: {
      type: 'array',
      minItems: 1,
      maxItems: ACTIONS.length,
      uniqueItems: true,
      items: { type: 'string', enum: [...ACTIONS] },
    },
    workspaces: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9._-]{0,63}$' },
      description: 'Only prompts in these workspaces; absent: every workspace.',
    },
    envs: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,63}$' },
      description: 'Only prompts in these envs; absent: every env.',
    },
  },
} as const;

export const apiKeySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'scope', 'createdBy', 'createdAt', 'expiresAt', 'lastUsedAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    scope: apiKeyScopeSchema,
    createdBy: { type: 'string' },
    createdAt: timestamp,
    expiresAt: timestamp,
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const inviteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'username', 'role', 'createdBy', 'createdAt', 'expiresAt', 'state', 'acceptedAt', 'revokedAt'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    role: roleSchema,
    createdBy: { type: 'string' },
    createdAt: timestamp,
    expiresAt: timestamp,
    state: { type: 'string', enum: ['pending', 'accepted', 'revoked', 'expired'] },
    acceptedAt: { type: ['string', 'null'], format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: 'string' },
        diagnostics: {
          type: 'array',
          items: {
            type: 'object',
            required: ['file', 'line', 'column', 'field', 'message', 'severity'],
            properties: {
              file: { type: 'string' },
              line: { type: 'integer' },
              column: { type: 'integer' },
              field: { type: 'string' },
              message: { type: 'string' },
              severity: { type: 'string', enum: ['error', 'warning'] },
            },
          },
        },
        request: {
          type: 'object',
          description: 'The request that lifts the refusal (e.g. running the review evaluation), for API clients.',
          required: ['method', 'path'],
          properties: { method: { type: 'string' }, path: { type: 'string' } },
        },
      },
    },
  },
} as const;
