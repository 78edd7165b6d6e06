// Row types of the access log tables (migration 016).
import type { Generated } from 'kysely';

export interface AccessLogTable {
  id: Generated<number>;
  load_balancer_id: string;
  listener_id: string;
  /** the whole line, project and load balancer ids first (Octavia's tenant flow log format) */
  line: string;
  created_at: string;
}

export interface AccessLogDropTable {
  load_balancer_id: string;
  dropped: number;
}
