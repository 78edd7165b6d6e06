// Placeholder: the availability-zone-profiles routes are being written in this same change (issue #3).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';

export async function registerAvailabilityZoneProfileRoutes(
  _app: FastifyInstance,
  _context: ApiContext,
): Promise<void> {}
