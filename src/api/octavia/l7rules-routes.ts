// Placeholder: the l7rules routes are being written in this same change (issue #3).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';

export async function registerL7RuleRoutes(_app: FastifyInstance, _context: ApiContext): Promise<void> {}
